namespace EdgeIoT.Ledger;

/// <summary>Settings of the SQLite store ("Ledger:Sqlite").</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Path of the database file; its folder is created on start.</summary>
    public string Path { get; set; } = "./ledger-data/ledger.db";
}
