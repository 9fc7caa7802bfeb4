using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Ledger.Storage;

/// <summary>
/// Ledger store in one SQLite file, in WAL mode with synchronous=FULL so that a committed batch
/// survives a power cut once the hub has received the 200.
/// </summary>
public sealed class SqliteLedgerStore : SqlLedgerStore
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    private static readonly Migration[] SchemaMigrations =
    [
        new Migration(1,
        [
            """
            CREATE TABLE ledger_events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                hub_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                device_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                lane TEXT NOT NULL,
                entitlement_id INTEGER,
                outcome TEXT,
                mode TEXT,
                device_time_ms INTEGER NOT NULL,
                hub_received_ms INTEGER,
                ledger_received_ms INTEGER NOT NULL,
                amount_minor INTEGER,
                delegator_id INTEGER,
                nonce TEXT,
                single_entry INTEGER,
                detail TEXT,
                body TEXT NOT NULL,
                UNIQUE (hub_id, event_id)
            )
            """,
            "CREATE INDEX ix_ledger_events_entitlement ON ledger_events (hub_id, entitlement_id) "
                + "WHERE entitlement_id IS NOT NULL",
            "CREATE INDEX ix_ledger_events_nonce ON ledger_events (hub_id, nonce) WHERE nonce IS NOT NULL",
            "CREATE TABLE ledger_counters (hub_id TEXT PRIMARY KEY, duplicates_absorbed INTEGER NOT NULL)",
        ]),
        new Migration(2,
        [
            // 1 on a payment the hub received after the policy's forwardPaymentsWithinSeconds.
            "ALTER TABLE ledger_events ADD COLUMN forwarded_late INTEGER",
        ]),
    ];

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public SqliteLedgerStore(string path, ILogger<SqliteLedgerStore> logger)
        : base(logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        string fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        FilePath = fullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public override string Name => LedgerOptions.SqliteStore;

    /// <summary>Absolute path of the database file.</summary>
    public string FilePath { get; }

    protected override IReadOnlyList<Migration> Migrations => SchemaMigrations;

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override Task<int> InsertEventsAsync(
        DbConnection connection,
        DbTransaction transaction,
        string hubId,
        IReadOnlyList<LedgerEventRow> events,
        long ledgerReceivedMs,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int accepted = SqliteEventInsert.Insert(
            (SqliteConnection)connection, (SqliteTransaction)transaction, hubId, events, ledgerReceivedMs);
        return Task.FromResult(accepted);
    }

    protected override bool IsTransient(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };

    protected override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        return new Releaser(_writeGate);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        // Pooled connections keep the file open; release them so tests can delete their folders.
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _writeGate.Dispose();
        await base.DisposeAsyncCore();
    }

    private sealed class Releaser(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
