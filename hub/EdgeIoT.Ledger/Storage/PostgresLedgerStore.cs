using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace EdgeIoT.Ledger.Storage;

/// <summary>
/// Ledger store in PostgreSQL. Concurrent batches rely on the unique key. ON CONFLICT DO NOTHING
/// waits for the other transaction and then skips the row, so each event is stored once.
/// </summary>
public sealed class PostgresLedgerStore : SqlLedgerStore
{
    private const string DeadlockDetected = "40P01";
    private const string SerializationFailure = "40001";
    private const string LockNotAvailable = "55P03";

    // Arbitrary constant that names the ledger's schema lock among advisory locks.
    private const long SchemaLockKey = 0x4C45444745520001;

    private static readonly Migration[] SchemaMigrations =
    [
        new Migration(1,
        [
            """
            CREATE TABLE ledger_events (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                hub_id TEXT NOT NULL,
                event_id TEXT NOT NULL,
                device_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                lane TEXT NOT NULL,
                entitlement_id BIGINT,
                outcome TEXT,
                mode TEXT,
                device_time_ms BIGINT NOT NULL,
                hub_received_ms BIGINT,
                ledger_received_ms BIGINT NOT NULL,
                amount_minor BIGINT,
                delegator_id BIGINT,
                nonce TEXT,
                single_entry INTEGER,
                detail TEXT,
                body JSONB NOT NULL,
                CONSTRAINT ux_ledger_events_hub_event UNIQUE (hub_id, event_id)
            )
            """,
            "CREATE INDEX ix_ledger_events_entitlement ON ledger_events (hub_id, entitlement_id) "
                + "WHERE entitlement_id IS NOT NULL",
            "CREATE INDEX ix_ledger_events_nonce ON ledger_events (hub_id, nonce) WHERE nonce IS NOT NULL",
            "CREATE TABLE ledger_counters (hub_id TEXT PRIMARY KEY, duplicates_absorbed BIGINT NOT NULL)",
        ]),
        new Migration(2,
        [
            // 1 on a payment the hub received after the policy's forwardPaymentsWithinSeconds.
            "ALTER TABLE ledger_events ADD COLUMN forwarded_late INTEGER",
        ]),
    ];

    private readonly NpgsqlDataSource _dataSource;

    public PostgresLedgerStore(string connectionString, ILogger<PostgresLedgerStore> logger)
        : base(logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);

        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public override string Name => LedgerOptions.PostgresStore;

    protected override IReadOnlyList<Migration> Migrations => SchemaMigrations;

    protected override Task<int> InsertEventsAsync(
        DbConnection connection,
        DbTransaction transaction,
        string hubId,
        IReadOnlyList<LedgerEventRow> events,
        long ledgerReceivedMs,
        CancellationToken cancellationToken) =>
        PostgresEventInsert.InsertAsync(
            (NpgsqlConnection)connection, (NpgsqlTransaction)transaction, hubId, events, ledgerReceivedMs, cancellationToken);

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override bool IsTransient(DbException exception) =>
        exception is PostgresException { SqlState: DeadlockDetected or SerializationFailure or LockNotAvailable }
        || exception is NpgsqlException { IsTransient: true };

    protected override async Task LockSchemaAsync(
        DbConnection connection,
        DbTransaction transaction,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(@key)";
        AddParameter(command, "@key", System.Data.DbType.Int64, SchemaLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsyncCore();
    }
}
