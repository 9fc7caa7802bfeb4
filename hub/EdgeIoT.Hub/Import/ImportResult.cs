namespace EdgeIoT.Hub.Import;

/// <summary>Response of a guest import.</summary>
public sealed record ImportResult(int Imported, IReadOnlyList<ImportRowError> Rejected, uint SnapshotVersion);
