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
public sealed partial class EventWriter : IAsyncDisposable
{
    private const int MaxGroupSize = 256;

    private readonly HubDatabase _database;
    private readonly ILogger<EventWriter> _logger;
    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public EventWriter(HubDatabase database, ILogger<EventWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(database);

        _database = database;
        _logger = logger;
        _writer = Task.Run(RunWriterAsync);
    }

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
        if (!_appends.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The event queue is shut down; the event was not stored.");
        }

        return pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
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
            }

            CommitGroup(group);
        }
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

            Appended?.Invoke();
        }
        catch (SqliteException exception)
        {
            LogGroupCommitFailed(exception, group.Count);
            foreach (PendingAppend pending in group)
            {
                pending.Completion.TrySetException(exception);
            }
        }
    }

    private bool[] InsertGroup(List<PendingAppend> group)
    {
        var inserted = new bool[group.Count];
        using SqliteConnection connection = _database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR IGNORE INTO events (event_id, lane, json, hub_received_ms)
            VALUES ($eventId, $lane, $json, $received);
            """;
        SqliteParameter eventId = command.Parameters.Add("$eventId", SqliteType.Text);
        SqliteParameter lane = command.Parameters.Add("$lane", SqliteType.Integer);
        SqliteParameter json = command.Parameters.Add("$json", SqliteType.Text);
        SqliteParameter received = command.Parameters.Add("$received", SqliteType.Integer);

        var audit = new List<AuditDraft>();
        for (int i = 0; i < group.Count; i++)
        {
            EdgeEvent edgeEvent = group[i].Event;
            eventId.Value = edgeEvent.EventId;
            lane.Value = (int)edgeEvent.Lane;
            json.Value = System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(edgeEvent));
            received.Value = edgeEvent.HubReceivedMs ?? 0;
            inserted[i] = command.ExecuteNonQuery() == 1;
            if (inserted[i] && AuditPayloads.FromEvent(edgeEvent) is AuditDraft draft)
            {
                audit.Add(draft);
            }
        }

        // Chained in the same commit, so a decision is in the audit log exactly when it is queued.
        AuditChain.Append(connection, transaction, audit);
        transaction.Commit();
        return inserted;
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error,
        Message = "Committing {Count} events to the reconciliation queue failed; the devices will resend them")]
    private partial void LogGroupCommitFailed(Exception exception, int count);

    private sealed class PendingAppend(EdgeEvent edgeEvent)
    {
        public EdgeEvent Event { get; } = edgeEvent;

        public TaskCompletionSource<bool> Completion { get; } =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
