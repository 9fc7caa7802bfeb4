namespace EdgeIoT.Ledger.Storage;

/// <summary>One schema version: the statements that bring the database from the version before to this one.</summary>
public sealed record Migration(int Version, IReadOnlyList<string> Statements);
