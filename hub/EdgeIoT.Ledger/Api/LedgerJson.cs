using System.Text.Json.Serialization;
using EdgeIoT.Ledger.Disputes;
using EdgeIoT.Ledger.Storage;

namespace EdgeIoT.Ledger.Api;

/// <summary>JSON of the ledger's HTTP responses, with the same settings as <c>ProtocolJson</c>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(LedgerSummary))]
[JsonSerializable(typeof(List<Dispute>))]
[JsonSerializable(typeof(EndpointsFile))]
public sealed partial class LedgerJson : JsonSerializerContext;
