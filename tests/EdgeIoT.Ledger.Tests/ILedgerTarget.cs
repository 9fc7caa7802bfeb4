namespace EdgeIoT.Ledger.Tests;

/// <summary>A store for one test: a temp folder, and for PostgreSQL a database of its own.</summary>
public interface ILedgerTarget : IAsyncDisposable
{
    /// <summary>Folder for the SQLite file and ledger.endpoints.json, deleted on dispose.</summary>
    string DataDirectory { get; }

    Task PrepareAsync();

    void Configure(LedgerOptions options);
}
