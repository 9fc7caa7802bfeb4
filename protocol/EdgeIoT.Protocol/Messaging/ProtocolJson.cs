using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeIoT.Protocol.Messaging;

/// <summary>JSON settings of every MQTT and HTTP payload: camelCase, nulls omitted, source generated.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(EdgeEvent))]
[JsonSerializable(typeof(List<EdgeEvent>))]
[JsonSerializable(typeof(DeviceStatus))]
[JsonSerializable(typeof(DeviceTelemetry))]
[JsonSerializable(typeof(ScanNotice))]
[JsonSerializable(typeof(TimeBeacon))]
[JsonSerializable(typeof(CheckRequest))]
[JsonSerializable(typeof(CheckResponse))]
[JsonSerializable(typeof(SnapshotRequest))]
[JsonSerializable(typeof(KeyResyncRequest))]
public sealed partial class ProtocolJson : JsonSerializerContext
{
    public static byte[] Serialize<T>(T value)
    {
        var typeInfo = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Default.GetTypeInfo(typeof(T))!;
        return JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
    }

    /// <summary>Parses a payload; throws <see cref="JsonException"/> naming the problem when it is not valid.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> utf8)
    {
        var typeInfo = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)Default.GetTypeInfo(typeof(T))!;
        return JsonSerializer.Deserialize(utf8, typeInfo)
            ?? throw new JsonException($"Payload is JSON null, expected a {typeof(T).Name} object.");
    }
}
