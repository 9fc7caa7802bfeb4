using System.Text.Json.Serialization;

namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>JSON of the agent's own files and of enrollment: camelCase, as the hub writes it.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(HubEndpoints))]
[JsonSerializable(typeof(DeviceCredentials))]
[JsonSerializable(typeof(EnrollmentRequest))]
internal sealed partial class AgentJson : JsonSerializerContext;
