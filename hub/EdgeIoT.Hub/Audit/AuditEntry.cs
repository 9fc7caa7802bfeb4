namespace EdgeIoT.Hub.Audit;

/// <summary>
/// One stored entry of the audit chain. <see cref="Hash"/> is SHA-256 over the previous entry's
/// hash and this entry's fields (<see cref="AuditChain.ComputeHash"/>).
/// </summary>
public sealed record AuditEntry(
    long Seq, long TimeMs, string Kind, string Actor, string Payload, byte[] PreviousHash, byte[] Hash);
