namespace EdgeIoT.Ledger;

/// <summary>Settings of the ledger, bound from the "Ledger" configuration section.</summary>
public sealed class LedgerOptions
{
    public const string SectionName = "Ledger";

    public const string SqliteStore = "sqlite";

    public const string PostgresStore = "postgres";

    /// <summary>Store kind: "sqlite" (default) or "postgres".</summary>
    public string Store { get; set; } = SqliteStore;

    public SqliteStoreOptions Sqlite { get; set; } = new();

    public PostgresStoreOptions Postgres { get; set; } = new();

    /// <summary>Listen URLs separated by ';'. Port 0 lets the OS choose a free port.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5090";

    /// <summary>
    /// Folder of ledger.endpoints.json; null means the folder of <see cref="SqliteStoreOptions.Path"/>.
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>Maximum number of events in one batch; a larger batch gets HTTP 413.</summary>
    public int MaxBatchEvents { get; set; } = 5000;

    /// <summary>Maximum request body of one batch in bytes; a larger body gets HTTP 413.</summary>
    public long MaxBatchBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Clock of ledger receipt times; the simulator passes its own.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Returns the folder that contains ledger.endpoints.json, as an absolute path.</summary>
    public string ResolveDataDirectory()
    {
        if (!string.IsNullOrWhiteSpace(DataDirectory))
        {
            return Path.GetFullPath(DataDirectory);
        }

        string sqlitePath = Path.GetFullPath(Sqlite.Path);
        return Path.GetDirectoryName(sqlitePath) ?? Directory.GetCurrentDirectory();
    }

    /// <summary>Throws <see cref="LedgerConfigurationException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Store is not (SqliteStore or PostgresStore))
        {
            throw new LedgerConfigurationException(
                $"Ledger:Store is '{Store}', expected 'sqlite' or 'postgres'.");
        }

        if (Store == SqliteStore && string.IsNullOrWhiteSpace(Sqlite.Path))
        {
            throw new LedgerConfigurationException("Ledger:Sqlite:Path is empty; set the path of the SQLite file.");
        }

        if (Store == PostgresStore && string.IsNullOrWhiteSpace(Postgres.ConnectionString))
        {
            throw new LedgerConfigurationException(
                "Ledger:Postgres:ConnectionString is missing; it is required when Ledger:Store is 'postgres'.");
        }

        if (string.IsNullOrWhiteSpace(Urls))
        {
            throw new LedgerConfigurationException("Ledger:Urls is empty; set a URL such as http://127.0.0.1:5090.");
        }

        if (MaxBatchEvents <= 0 || MaxBatchBytes <= 0)
        {
            throw new LedgerConfigurationException(
                $"Ledger:MaxBatchEvents ({MaxBatchEvents}) and Ledger:MaxBatchBytes ({MaxBatchBytes}) must be positive.");
        }
    }
}
