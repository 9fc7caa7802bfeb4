namespace EdgeIoT.Ledger.Disputes;

/// <summary>The columns of a stored event that dispute detection reads.</summary>
public sealed record DisputeCandidate
{
    public required string HubId { get; init; }

    public required string EventId { get; init; }

    public required string DeviceId { get; init; }

    public required string Kind { get; init; }

    public long? EntitlementId { get; init; }

    public string? Outcome { get; init; }

    public string? Mode { get; init; }

    public string? Nonce { get; init; }

    public bool? SingleEntry { get; init; }

    public string? Detail { get; init; }

    public required long DeviceTimeMs { get; init; }

    public required long LedgerReceivedMs { get; init; }
}
