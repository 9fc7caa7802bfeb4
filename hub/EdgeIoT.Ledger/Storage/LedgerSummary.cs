namespace EdgeIoT.Ledger.Storage;

/// <summary>Counts over the stored events of one hub or of every hub; the body of GET /v1/summary.</summary>
public sealed record LedgerSummary
{
    public long Events { get; init; }

    public Dictionary<string, long> ByKind { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> ByDevice { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Retried deliveries that the unique key absorbed, persisted across restarts.</summary>
    public long DuplicatesAbsorbed { get; init; }

    public long Disputes { get; init; }

    /// <summary>Sum of the amounts of payment events, in minor units.</summary>
    public long PaymentsTotalMinor { get; init; }

    /// <summary>Payments the hub flagged as forwarded after the policy's forwardPaymentsWithinSeconds.</summary>
    public long LatePayments { get; init; }
}
