namespace EdgeIoT.Hub.Ledger;

/// <summary>Ledger reachability, the last successful push (Unix ms), events sent since start and the last error.</summary>
public sealed record LedgerSyncSnapshot(bool Reachable, long? LastSuccessMs, long Sent, string? LastError);
