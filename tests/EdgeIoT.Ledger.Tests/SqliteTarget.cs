namespace EdgeIoT.Ledger.Tests;

public sealed class SqliteTarget : ILedgerTarget
{
    public string DataDirectory { get; } =
        Directory.CreateTempSubdirectory("edgeiot-ledger-").FullName;

    public Task PrepareAsync() => Task.CompletedTask;

    public void Configure(LedgerOptions options)
    {
        options.Store = LedgerOptions.SqliteStore;
        options.Sqlite.Path = Path.Combine(DataDirectory, "ledger.db");
        options.DataDirectory = DataDirectory;
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(DataDirectory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
