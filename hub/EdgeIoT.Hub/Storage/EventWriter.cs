using System.Threading.Channels;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Storage;

/// <summary>
/// The reconciliation queue. Appends use group commit: one writer task drains a channel and
/// commits each batch in one transaction, and every caller awaits the commit of its own event,
/// so the broker can send PUBACK only after the event is on disk.
/// </summary>
/// <remarks>
/// The writer keeps one connection and one prepared insert. It turns SQLite's automatic WAL
/// checkpoint off on that connection, because that checkpoint runs inside the commit that crosses
/// 1,000 pages and delays every event waiting for the group. A <see cref="WalCheckpointer"/> on
/// its own connection checkpoints instead, asked every <see cref="CheckpointGroups"/> groups and
/// whenever the queue is idle.
/// </remarks>
public sealed partial class EventWriter : IAsyncDisposable
{
    private const int MaxGroupSize = 1024;

    // Groups after which the writer requests a checkpoint under load, so the WAL file stays small.
    private const int CheckpointGroups = 32;

    private readonly HubDatabase _database;
    private readonly ILogger<EventWriter> _logger;
    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly WalCheckpointer _checkpointer;
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;
    private int _groupsSinceCheckpoint;

    // Appends written to the channel and not yet read; the unbounded channel cannot count them itself.
    private int _waiting;

    public EventWriter(HubDatabase database, ILogger<EventWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(database);

        _database = database;
        _logger = logger;
        _checkpointer = new WalCheckpointer(database, logger);
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>The background checkpoints of the queue's WAL.</summary>
    internal WalCheckpointer Checkpointer => _checkpointer;

    /// <summary>Raised after each committed group, so the ledger sync can wake up.</summary>
    public event Action? Appended;

    /// <summary>
    /// Stores the event durably. Returns true for a new event and false for one whose id was
    /// stored before. Both mean the device may drop it from its outbox.
    /// </summary>
    public Task<bool> AppendAsync(EdgeEvent edgeEvent)
    {
        ArgumentNullException.ThrowIfNull(edgeEvent);

        var pending = new PendingAppend(edgeEvent);
        Interlocked.Increment(ref _waiting);
        if (!_appends.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _waiting);
            throw new InvalidOperationException("The event queue is shut down; the event was not stored.");
        }

        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        await _checkpointer.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunWriterAsync()
    {
        var group = new List<PendingAppend>(MaxGroupSize);
        while (await _appends.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < MaxGroupSize && _appends.Reader.TryRead(out PendingAppend? pending))
            {
                group.Add(pending);
                Interlocked.Decrement(ref _waiting);
            }

            CommitGroup(group);
            if (_groupsSinceCheckpoint >= CheckpointGroups
                || (_groupsSinceCheckpoint > 0 && Volatile.Read(ref _waiting) == 0))
            {
                _checkpointer.Request();
                _groupsSinceCheckpoint = 0;
            }
        }

        CloseConnection();
    }

    private void CommitGroup(List<PendingAppend> group)
    {
        try
        {
            bool[] inserted = InsertGroup(group);
            for (int i = 0; i < group.Count; i++)
            {
                group[i].Completion.TrySetResult(inserted[i]);
            }

            NotifyAppended();
        }
        catch (SqliteException exception)
        {
            LogGroupCommitFailed(exception, group.Count);
            foreach (PendingAppend pending in group)
            {
                pending.Completion.TrySetException(exception);
            }

            // The next group starts on a fresh connection rather than on one in an unknown state.
            CloseConnection();
        }
    }

    private void NotifyAppended()
    {
        try
        {
            Appended?.Invoke();
        }
        catch (Exception exception) when (exception is ObjectDisposedException or InvalidOperationException)
        {
            // The events are committed and acknowledged; a listener that is shutting down must
            // not stop the writer before it closes its connection.
            LogAppendedListenerFailed(exception);
        }
    }

    private bool[] InsertGroup(List<PendingAppend> group)
    {
        var inserted = new bool[group.Count];
        SqliteCommand insert = PrepareInsert();
        SqliteConnection connection = insert.Connection!;
        using SqliteTransaction transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        SqliteParameterCollection parameters = insert.Parameters;
        var audit = new List<AuditDraft>();
        for (int i = 0; i < group.Count; i++)
        {
            EdgeEvent edgeEvent = group[i].Event;
            parameters[0].Value = edgeEvent.EventId;
            parameters[1].Value = (int)edgeEvent.Lane;
            parameters[2].Value = System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(edgeEvent));
            parameters[3].Value = edgeEvent.HubReceivedMs ?? 0;
            inserted[i] = insert.ExecuteNonQuery() == 1;
            if (inserted[i] && AuditPayloads.FromEvent(edgeEvent) is AuditDraft draft)
            {
                audit.Add(draft);
            }
        }

        // Chained in the same commit, so a decision is in the audit log exactly when it is queued.
        AuditChain.Append(connection, transaction, audit);
        transaction.Commit();
        _groupsSinceCheckpoint++;
        return inserted;
    }

    private SqliteCommand PrepareInsert()
    {
        if (_insert is not null)
        {
            return _insert;
        }

        _connection = _database.Open();
        HubDatabase.Execute(_connection, "PRAGMA wal_autocheckpoint=0;");
        _insert = _connection.CreateCommand();
        _insert.CommandText = """
            INSERT OR IGNORE INTO events (event_id, lane, json, hub_received_ms)
            VALUES ($eventId, $lane, $json, $received);
            """;
        _insert.Parameters.Add("$eventId", SqliteType.Text);
        _insert.Parameters.Add("$lane", SqliteType.Integer);
        _insert.Parameters.Add("$json", SqliteType.Text);
        _insert.Parameters.Add("$received", SqliteType.Integer);
        _insert.Prepare();
        return _insert;
    }

    private void CloseConnection()
    {
        _insert?.Dispose();
        _insert = null;
        _connection?.Dispose();
        _connection = null;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error,
        Message = "Committing {Count} events to the reconciliation queue failed; the devices will resend them")]
    private partial void LogGroupCommitFailed(Exception exception, int count);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "A listener for committed events failed; the events stay committed and queued")]
    private partial void LogAppendedListenerFailed(Exception exception);

    private sealed class PendingAppend(EdgeEvent edgeEvent)
    {
        public EdgeEvent Event { get; } = edgeEvent;

        public TaskCompletionSource<bool> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
