using System.Globalization;
using System.Security.Cryptography;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.EdgeAgent.Storage;

/// <summary>
/// The agent's durable event queue in SQLite (WAL, synchronous=FULL): an event is committed
/// to disk before it is published, and removed only after the hub's PUBACK. Sequence numbers
/// are persisted, so they keep rising across restarts even when the queue is empty. The same
/// file tracks spend per token, updated in the payment event's transaction.
/// </summary>
public sealed partial class EventOutbox : IDisposable
{
    public const string FileName = "outbox.db";
    public const string DeviceClass = "agent";

    private const string LastSeqName = "last_seq";

    private readonly Lock _lock = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insertEvent;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly int _capacity;
    private long _lastSeq;
    private int _depth;
    private bool _fullAlarmRaised;

    /// <param name="databasePath">SQLite file; created with its folder when missing.</param>
    /// <param name="capacity">Maximum number of events kept. Beyond it only payments are accepted.</param>
    public EventOutbox(
        string databasePath,
        string deviceId,
        int capacity,
        TimeProvider? timeProvider = null,
        ILogger<EventOutbox>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);

        DeviceId = deviceId;
        BootId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        _capacity = capacity;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;

        string? folder = Path.GetDirectoryName(Path.GetFullPath(databasePath));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        // Pooling off so that Dispose really closes the file, which reopen tests rely on.
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Pooling = false,
        }.ToString());
        _connection.Open();
        CreateSchema();
        _insertEvent = CreateInsertEvent();
        _lastSeq = ReadLastSeq();
        _depth = (int)ExecuteScalarLong("SELECT COUNT(*) FROM outbox");
        _deadLetters = (int)ExecuteScalarLong("SELECT COUNT(*) FROM dead_letters");
        _rejectionsPending = ExecuteScalarLong("SELECT COUNT(*) FROM rejections") > 0;
    }

    /// <summary>Raised after an event is committed, so the publisher can wake up.</summary>
    public event EventHandler? Appended;

    public string DeviceId { get; }

    /// <summary>Random id of this process start, stamped on every event it appends.</summary>
    public string BootId { get; }

    /// <summary>Events stored and not yet acknowledged by the hub.</summary>
    public int Depth => Volatile.Read(ref _depth);

    public long LastSeq
    {
        get
        {
            lock (_lock)
            {
                return _lastSeq;
            }
        }
    }

    /// <summary>
    /// Assigns the next sequence number, builds the event with <paramref name="fill"/> from a
    /// base that carries ids, kind and device time, and commits it (with the optional spend
    /// charge) before returning. Throws <see cref="OutboxFullException"/> when the outbox is
    /// full and the event is not a payment.
    /// </summary>
    public EdgeEvent Append<TState>(
        string kind, TState state, Func<EdgeEvent, TState, EdgeEvent> fill, SpendCharge? charge = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentNullException.ThrowIfNull(fill);

        EdgeEvent stored;
        lock (_lock)
        {
            if (_depth >= _capacity && kind != EventKinds.Payment)
            {
                RaiseFullAlarm();
                throw new OutboxFullException(
                    $"Outbox holds {_depth} events, its capacity of {_capacity}; the {kind} event was rejected. "
                    + "Restore the hub connection so the outbox can drain.");
            }

            stored = fill(CreateBase(kind, _lastSeq + 1), state);
            Insert(stored, charge);
            if (_depth < _capacity)
            {
                _fullAlarmRaised = false;
            }
        }

        Appended?.Invoke(this, EventArgs.Empty);
        return stored;
    }

    /// <summary>Returns up to <paramref name="max"/> unacknowledged events after a sequence number, oldest first.</summary>
    public IReadOnlyList<OutboxEntry> ReadPending(long afterSeq, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);

        var entries = new List<OutboxEntry>(Math.Min(max, 256));
        lock (_lock)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = "SELECT seq, kind, payload FROM outbox WHERE seq > $after ORDER BY seq LIMIT $max";
            command.Parameters.AddWithValue("$after", afterSeq);
            command.Parameters.AddWithValue("$max", max);
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(new OutboxEntry(reader.GetInt64(0), reader.GetString(1), (byte[])reader[2]));
            }
        }

        return entries;
    }

    /// <summary>Removes an event after the hub acknowledged it; removing twice is harmless.</summary>
    public void Acknowledge(long seq)
    {
        lock (_lock)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM outbox WHERE seq = $seq";
            command.Parameters.AddWithValue("$seq", seq);
            ForgetRejections(seq);
            if (command.ExecuteNonQuery() > 0)
            {
                _depth--;
            }
        }
    }

    /// <summary>Removes events the hub acknowledged in one transaction. Removing an event twice is harmless.</summary>
    public void Acknowledge(IReadOnlyCollection<long> seqs)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        if (seqs.Count == 0)
        {
            return;
        }

        lock (_lock)
        {
            using SqliteTransaction transaction = _connection.BeginTransaction();
            using SqliteCommand command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM outbox WHERE seq = $seq";
            SqliteParameter seq = command.Parameters.Add("$seq", SqliteType.Integer);
            int removed = 0;
            foreach (long value in seqs)
            {
                seq.Value = value;
                removed += command.ExecuteNonQuery();
            }

            if (_rejectionsPending)
            {
                using SqliteCommand forget = _connection.CreateCommand();
                forget.Transaction = transaction;
                forget.CommandText = "DELETE FROM rejections WHERE seq = $seq";
                SqliteParameter rejected = forget.Parameters.Add("$seq", SqliteType.Integer);
                foreach (long value in seqs)
                {
                    rejected.Value = value;
                    forget.ExecuteNonQuery();
                }
            }

            transaction.Commit();
            _depth -= removed;
        }
    }

    /// <summary>Returns the spend recorded against a token so far, in minor units.</summary>
    public long SpendUsedMinor(ulong tokenId)
    {
        lock (_lock)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = "SELECT used_minor FROM spend WHERE token_id = $token";
            command.Parameters.AddWithValue("$token", TokenKey(tokenId));
            return command.ExecuteScalar() is long used ? used : 0;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _insertEvent.Dispose();
            _connection.Dispose();
        }
    }

    private static string TokenKey(ulong tokenId) => tokenId.ToString("x16", CultureInfo.InvariantCulture);

    private EdgeEvent CreateBase(string kind, long seq) => new()
    {
        EventId = string.Create(CultureInfo.InvariantCulture, $"{DeviceId}:{seq}"),
        DeviceId = DeviceId,
        DeviceClass = DeviceClass,
        BootId = BootId,
        Seq = seq,
        Kind = kind,
        DeviceTimeMs = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds(),
    };

    private void Insert(EdgeEvent stored, SpendCharge? charge)
    {
        byte[] payload = ProtocolJson.Serialize(stored);
        using SqliteTransaction transaction = _connection.BeginTransaction();

        _insertEvent.Transaction = transaction;
        _insertEvent.Parameters["$seq"].Value = stored.Seq;
        _insertEvent.Parameters["$kind"].Value = stored.Kind;
        _insertEvent.Parameters["$payload"].Value = payload;
        _insertEvent.ExecuteNonQuery();

        if (charge is { } spend)
        {
            using SqliteCommand update = _connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "INSERT INTO spend (token_id, used_minor) VALUES ($token, $amount) "
                + "ON CONFLICT (token_id) DO UPDATE SET used_minor = used_minor + excluded.used_minor";
            update.Parameters.AddWithValue("$token", TokenKey(spend.TokenId));
            update.Parameters.AddWithValue("$amount", spend.AmountMinor);
            update.ExecuteNonQuery();
            if (spend.RequestId is not null)
            {
                RecordSale(transaction, spend.RequestId, stored);
            }
        }

        transaction.Commit();
        _lastSeq = stored.Seq;
        _depth++;
    }

    /// <summary>
    /// Builds the event insert once, so each append binds new values to statements SQLite has
    /// already prepared instead of parsing the SQL again.
    /// </summary>
    private SqliteCommand CreateInsertEvent()
    {
        SqliteCommand insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO outbox (seq, kind, payload) VALUES ($seq, $kind, $payload);"
            + "INSERT INTO meta (name, value) VALUES ($name, $seq) "
            + "ON CONFLICT (name) DO UPDATE SET value = excluded.value";
        insert.Parameters.Add("$seq", SqliteType.Integer);
        insert.Parameters.Add("$kind", SqliteType.Text);
        insert.Parameters.Add("$payload", SqliteType.Blob);
        insert.Parameters.AddWithValue("$name", LastSeqName);
        return insert;
    }

    private void RaiseFullAlarm()
    {
        _logger.LogCritical(
            "Outbox is full at {Depth} events (capacity {Capacity}); rejecting new non-payment events",
            _depth,
            _capacity);
        if (_fullAlarmRaised)
        {
            return;
        }

        // One status event per full episode may exceed the capacity, so the hub learns why
        // decisions stopped arriving.
        _fullAlarmRaised = true;
        EdgeEvent alarm = CreateBase(EventKinds.Status, _lastSeq + 1) with { Detail = StatusDetails.OutboxFull };
        Insert(alarm, charge: null);
    }

    private void CreateSchema()
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = FULL;
            CREATE TABLE IF NOT EXISTS outbox (
                seq INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                payload BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS meta (
                name TEXT PRIMARY KEY,
                value INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS spend (
                token_id TEXT PRIMARY KEY,
                used_minor INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS sales (
                request_id TEXT PRIMARY KEY,
                event_id TEXT NOT NULL,
                amount_minor INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS rejections (
                seq INTEGER PRIMARY KEY,
                count INTEGER NOT NULL,
                last_reason TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS dead_letters (
                seq INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                payload BLOB NOT NULL,
                reason TEXT NOT NULL,
                rejections INTEGER NOT NULL,
                moved_ms INTEGER NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    private long ReadLastSeq()
    {
        long stored = ExecuteScalarLong($"SELECT COALESCE(MAX(value), 0) FROM meta WHERE name = '{LastSeqName}'");
        long queued = ExecuteScalarLong("SELECT COALESCE(MAX(seq), 0) FROM outbox");
        return Math.Max(stored, queued);
    }

    private long ExecuteScalarLong(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
