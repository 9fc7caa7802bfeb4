using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using EdgeIoT.Ledger.Disputes;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Ledger.Storage;

/// <summary>
/// The SQL shared by the SQLite and PostgreSQL stores. Both dialects accept @name parameters,
/// INSERT ... ON CONFLICT DO NOTHING and partial indexes, so only connections, DDL, the bulk
/// insert of a batch and transient-error rules differ.
/// </summary>
public abstract class SqlLedgerStore : ILedgerStore
{
    private const int MaxAttempts = 5;

    private const string CandidateColumns =
        "hub_id, event_id, device_id, kind, entitlement_id, outcome, mode, nonce, single_entry, detail, " +
        "device_time_ms, ledger_received_ms";

    private readonly ILogger _logger;

    protected SqlLedgerStore(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    public abstract string Name { get; }

    /// <summary>Schema versions in ascending order.</summary>
    protected abstract IReadOnlyList<Migration> Migrations { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockSchemaAsync(connection, transaction, cancellationToken);

        await ExecuteAsync(
            connection,
            transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)",
            cancellationToken);
        long current = await ScalarInt64Async(
            connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", null, cancellationToken);

        foreach (var migration in Migrations.Where(m => m.Version > current))
        {
            foreach (string statement in migration.Statements)
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken);
            }

            await using var record = Command(
                connection, transaction, "INSERT INTO schema_migrations (version, applied_ms) VALUES (@version, @applied)");
            AddParameter(record, "@version", DbType.Int32, migration.Version);
            AddParameter(record, "@applied", DbType.Int64, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await record.ExecuteNonQueryAsync(cancellationToken);
            LedgerLog.MigrationApplied(_logger, Name, migration.Version);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<BatchInsertResult> InsertBatchAsync(
        string hubId,
        IReadOnlyList<LedgerEventRow> events,
        long ledgerReceivedMs,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(hubId);
        ArgumentNullException.ThrowIfNull(events);

        // Every writer inserts in event-id order, so overlapping batches in PostgreSQL wait for
        // each other instead of deadlocking. The retry below handles any deadlock that remains.
        var ordered = events.OrderBy(e => e.EventId, StringComparer.Ordinal).ToList();
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await InsertOnceAsync(hubId, ordered, ledgerReceivedMs, cancellationToken);
            }
            catch (DbException ex) when (attempt < MaxAttempts && IsTransient(ex))
            {
                LedgerLog.BatchRetried(_logger, ex, hubId, attempt);
            }
        }
    }

    public async Task<LedgerSummary> GetSummaryAsync(string? hubId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        string where = hubId is null ? string.Empty : " WHERE hub_id = @hub_id";

        long events = await ScalarInt64Async(
            connection, null, "SELECT COUNT(*) FROM ledger_events" + where, hubId, cancellationToken);
        long payments = await ScalarInt64Async(
            connection,
            null,
            "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_events WHERE kind = 'payment'"
                + (hubId is null ? string.Empty : " AND hub_id = @hub_id"),
            hubId,
            cancellationToken);
        long latePayments = await ScalarInt64Async(
            connection,
            null,
            "SELECT COUNT(*) FROM ledger_events WHERE kind = 'payment' AND forwarded_late = 1"
                + (hubId is null ? string.Empty : " AND hub_id = @hub_id"),
            hubId,
            cancellationToken);
        long duplicates = await ScalarInt64Async(
            connection,
            null,
            "SELECT COALESCE(SUM(duplicates_absorbed), 0) FROM ledger_counters" + where,
            hubId,
            cancellationToken);

        return new LedgerSummary
        {
            Events = events,
            ByKind = await CountByAsync(connection, "kind", where, hubId, cancellationToken),
            ByDevice = await CountByAsync(connection, "device_id", where, hubId, cancellationToken),
            DuplicatesAbsorbed = duplicates,
            PaymentsTotalMinor = payments,
            LatePayments = latePayments,
        };
    }

    public async IAsyncEnumerable<string> ReadEventIdsAsync(
        string? hubId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        string sql = "SELECT event_id FROM ledger_events"
            + (hubId is null ? string.Empty : " WHERE hub_id = @hub_id")
            + " ORDER BY id";
        await using var command = Command(connection, null, sql);
        AddHubParameter(command, hubId);

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return reader.GetString(0);
        }
    }

    public async IAsyncEnumerable<DisputeCandidate> ReadDisputeCandidatesAsync(
        string? hubId,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        string sql = "SELECT " + CandidateColumns + " FROM ledger_events"
            + " WHERE ((kind = 'decision' AND (outcome = 'admit' OR nonce IS NOT NULL))"
            + " OR (kind = 'entitlement' AND detail = 'cancelled'))"
            + (hubId is null ? string.Empty : " AND hub_id = @hub_id")
            + " ORDER BY id";
        await using var command = Command(connection, null, sql);
        AddHubParameter(command, hubId);

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadCandidate(reader);
        }
    }

    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await ScalarInt64Async(connection, null, "SELECT COUNT(*) FROM schema_migrations", null, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens a connection with the store's per-connection settings applied.</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>True for errors that a new attempt of the same transaction can cure (lock timeouts, deadlocks).</summary>
    protected abstract bool IsTransient(DbException exception);

    /// <summary>Serializes schema changes between processes that start at the same time.</summary>
    protected virtual Task LockSchemaAsync(
        DbConnection connection,
        DbTransaction transaction,
        CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Serializes writers within this process; SQLite overrides it because it has one writer at a time.</summary>
    protected virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IDisposable?>(null);

    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;

    /// <summary>
    /// Inserts the events in the given order within <paramref name="transaction"/>, skipping any
    /// whose (hub id, event id) is already stored or repeated earlier in the list. Returns how
    /// many rows were inserted.
    /// </summary>
    protected abstract Task<int> InsertEventsAsync(
        DbConnection connection,
        DbTransaction transaction,
        string hubId,
        IReadOnlyList<LedgerEventRow> events,
        long ledgerReceivedMs,
        CancellationToken cancellationToken);

    private async Task<BatchInsertResult> InsertOnceAsync(
        string hubId,
        List<LedgerEventRow> events,
        long ledgerReceivedMs,
        CancellationToken cancellationToken)
    {
        using var writeLock = await EnterWriteAsync(cancellationToken);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        int accepted = await InsertEventsAsync(connection, transaction, hubId, events, ledgerReceivedMs, cancellationToken);
        int duplicates = events.Count - accepted;
        if (duplicates > 0)
        {
            await AddDuplicatesAsync(connection, transaction, hubId, duplicates, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new BatchInsertResult(accepted, duplicates);
    }

    private static async Task AddDuplicatesAsync(
        DbConnection connection,
        DbTransaction transaction,
        string hubId,
        int duplicates,
        CancellationToken cancellationToken)
    {
        await using var command = Command(
            connection,
            transaction,
            "INSERT INTO ledger_counters (hub_id, duplicates_absorbed) VALUES (@hub_id, @count) "
                + "ON CONFLICT (hub_id) DO UPDATE SET "
                + "duplicates_absorbed = ledger_counters.duplicates_absorbed + excluded.duplicates_absorbed");
        AddParameter(command, "@hub_id", DbType.String, hubId);
        AddParameter(command, "@count", DbType.Int64, (long)duplicates);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<string, long>> CountByAsync(
        DbConnection connection,
        string column,
        string where,
        string? hubId,
        CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var command = Command(
            connection, null, "SELECT " + column + ", COUNT(*) FROM ledger_events" + where + " GROUP BY " + column);
        AddHubParameter(command, hubId);

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return counts;
    }

    private static DisputeCandidate ReadCandidate(DbDataReader reader) => new()
    {
        HubId = reader.GetString(0),
        EventId = reader.GetString(1),
        DeviceId = reader.GetString(2),
        Kind = reader.GetString(3),
        EntitlementId = NullableInt64(reader, 4),
        Outcome = NullableString(reader, 5),
        Mode = NullableString(reader, 6),
        Nonce = NullableString(reader, 7),
        SingleEntry = NullableInt64(reader, 8) is { } flag ? flag != 0 : null,
        Detail = NullableString(reader, 9),
        DeviceTimeMs = NullableInt64(reader, 10) ?? 0,
        LedgerReceivedMs = NullableInt64(reader, 11) ?? 0,
    };

    private static string? NullableString(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static long? NullableInt64(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal)
            ? null
            : Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task ExecuteAsync(
        DbConnection connection,
        DbTransaction? transaction,
        string sql,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> ScalarInt64Async(
        DbConnection connection,
        DbTransaction? transaction,
        string sql,
        string? hubId,
        CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        AddHubParameter(command, hubId);
        object? value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Every statement is built from constants; values travel as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        return command;
    }

    private static void AddHubParameter(DbCommand command, string? hubId)
    {
        if (hubId is not null)
        {
            AddParameter(command, "@hub_id", DbType.String, hubId);
        }
    }

    internal static DbParameter AddParameter(DbCommand command, string name, DbType type, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
