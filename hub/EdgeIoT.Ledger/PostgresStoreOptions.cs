namespace EdgeIoT.Ledger;

/// <summary>Settings of the PostgreSQL store ("Ledger:Postgres").</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>Npgsql connection string, e.g. "Host=127.0.0.1;Username=ledger;Password=...;Database=ledger".</summary>
    public string? ConnectionString { get; set; }
}
