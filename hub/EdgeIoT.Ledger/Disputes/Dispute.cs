namespace EdgeIoT.Ledger.Disputes;

/// <summary>
/// A conflict between stored facts. The lists are parallel: entry i of each list belongs to
/// event i, ordered by device time.
/// </summary>
public sealed record Dispute
{
    /// <summary>One of <see cref="DisputeKinds"/>.</summary>
    public required string Kind { get; init; }

    public required string HubId { get; init; }

    public long? EntitlementId { get; init; }

    /// <summary>Shared nonce of a lost_reply dispute; null for the other kinds.</summary>
    public string? Nonce { get; init; }

    public required List<string> EventIds { get; init; }

    public required List<string> DeviceIds { get; init; }

    /// <summary>Device clock of each event, in Unix milliseconds.</summary>
    public required List<long> DeviceTimesMs { get; init; }

    /// <summary>Ledger receipt time of each event, in Unix milliseconds.</summary>
    public required List<long> ReceivedTimesMs { get; init; }

    public required string Detail { get; init; }
}
