namespace EdgeIoT.Ledger.Storage;

/// <summary>Outcome of one batch insert: events newly stored, and events already stored before.</summary>
public readonly record struct BatchInsertResult(int Accepted, int Duplicates);
