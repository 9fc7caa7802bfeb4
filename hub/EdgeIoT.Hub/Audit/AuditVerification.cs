namespace EdgeIoT.Hub.Audit;

/// <summary>
/// Result of checking the audit chain. When <see cref="Valid"/> is false, <see cref="FirstBadSeq"/>
/// is the first entry that was altered, moved or removed, and <see cref="Problem"/> says which.
/// </summary>
public sealed record AuditVerification
{
    public required bool Valid { get; init; }

    /// <summary>Entries read from the audit table.</summary>
    public required long EntriesChecked { get; init; }

    /// <summary>Sequence number and hex hash of the recorded head; 0 and empty for an empty chain.</summary>
    public required long HeadSeq { get; init; }

    public required string HeadHash { get; init; }

    public long? FirstBadSeq { get; init; }

    /// <summary>"altered" or "removed"; null for a valid chain.</summary>
    public string? Problem { get; init; }

    /// <summary>One sentence for the operator, naming the entry and what is wrong with it.</summary>
    public required string Detail { get; init; }
}
