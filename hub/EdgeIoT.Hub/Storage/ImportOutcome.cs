namespace EdgeIoT.Hub.Storage;

/// <summary>Result of a committed import: rows written, the new snapshot version and the table size.</summary>
public sealed record ImportOutcome(int Imported, uint SnapshotVersion, long TotalEntitlements);
