using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>Read side of the central ledger, used to prove exactly-once delivery.</summary>
public sealed class LedgerClient(HttpClient http) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<LedgerSummary> SummaryAsync(string hubId, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<LedgerSummary>(
            $"/v1/summary?hubId={Uri.EscapeDataString(hubId)}", Json, cancellationToken)
        ?? throw new InvalidOperationException("The ledger returned an empty summary.");

    public async Task<IReadOnlyList<string>> EventIdsAsync(string hubId, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<string>>(
            $"/v1/events/ids?hubId={Uri.EscapeDataString(hubId)}", Json, cancellationToken)
        ?? [];

    public async Task<IReadOnlyList<LedgerDispute>> DisputesAsync(string hubId, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<List<LedgerDispute>>(
            $"/v1/disputes?hubId={Uri.EscapeDataString(hubId)}", Json, cancellationToken)
        ?? [];

    public void Dispose() => http.Dispose();
}

public sealed record LedgerSummary(
    long Events,
    IReadOnlyDictionary<string, long> ByKind,
    long DuplicatesAbsorbed,
    long Disputes,
    long PaymentsTotalMinor);

public sealed record LedgerDispute(string Kind, long EntitlementId, IReadOnlyList<string> EventIds, string? Detail);
