using EdgeIoT.Ledger.Disputes;

namespace EdgeIoT.Ledger.Storage;

/// <summary>
/// Durable store of ledger events. Every implementation keys events on (hub id, event id), so
/// storing the same event again is counted as a duplicate and changes nothing else.
/// </summary>
public interface ILedgerStore : IAsyncDisposable
{
    /// <summary>Store kind as configured: "sqlite" or "postgres".</summary>
    string Name { get; }

    /// <summary>Creates the database objects and applies pending migrations.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a batch in one transaction. Events already stored for the hub, and repeats
    /// within the batch, are counted as duplicates and added to the persisted duplicate counter.
    /// </summary>
    Task<BatchInsertResult> InsertBatchAsync(
        string hubId,
        IReadOnlyList<LedgerEventRow> events,
        long ledgerReceivedMs,
        CancellationToken cancellationToken);

    /// <summary>Counts stored events; a null <paramref name="hubId"/> counts every hub. Disputes stay 0.</summary>
    Task<LedgerSummary> GetSummaryAsync(string? hubId, CancellationToken cancellationToken);

    /// <summary>Streams stored event ids in insertion order; a null <paramref name="hubId"/> reads every hub.</summary>
    IAsyncEnumerable<string> ReadEventIdsAsync(string? hubId, CancellationToken cancellationToken);

    /// <summary>Streams the events that can take part in a dispute: admits, cancellations and decisions with a nonce.</summary>
    IAsyncEnumerable<DisputeCandidate> ReadDisputeCandidatesAsync(string? hubId, CancellationToken cancellationToken);

    /// <summary>Runs a trivial query; throws when the database cannot be reached.</summary>
    Task CheckHealthAsync(CancellationToken cancellationToken);
}
