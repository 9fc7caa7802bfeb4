using System.Text.Json;
using System.Threading.Channels;
using EdgeIoT.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Audit;

/// <summary>
/// Appends the hub's own audit entries (online decisions, issuance, key and policy changes,
/// enrollments) with group commit: one writer task chains every waiting entry in one
/// transaction, so the online check path only pays for a channel write. Device decisions and
/// payments are chained by <see cref="EventWriter"/> in the commit that stores the event.
/// </summary>
public sealed partial class AuditLog : IAsyncDisposable
{
    private const int MaxGroupSize = 512;

    private readonly HubDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditLog> _logger;
    private readonly Channel<PendingEntry> _entries = Channel.CreateUnbounded<PendingEntry>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public AuditLog(HubDatabase database, TimeProvider time, ILogger<AuditLog> logger)
    {
        ArgumentNullException.ThrowIfNull(database);

        _database = database;
        _time = time;
        _logger = logger;
        _writer = Task.Run(RunWriterAsync);
    }

    /// <summary>
    /// Queues an entry with the current time and a payload serialized as compact JSON. The task
    /// completes when the entry is committed; callers on a latency-critical path need not await it,
    /// because a failed commit is logged here.
    /// </summary>
    public Task AppendAsync(string kind, string actor, object payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(actor);

        string json = JsonSerializer.Serialize(payload, AuditPayloads.Json);
        var draft = new AuditDraft(_time.GetUtcNow().ToUnixTimeMilliseconds(), kind, actor, json);
        var pending = new PendingEntry(draft);
        if (!_entries.Writer.TryWrite(pending))
        {
            LogShutDown(kind, actor);
            return Task.CompletedTask;
        }

        return pending.Completion.Task;
    }

    /// <summary>Queues an entry whose completion nobody awaits; a failed commit is logged by the writer.</summary>
    public void Append(string kind, string actor, object payload) =>
        AppendAsync(kind, actor, payload).ContinueWith(
            static task => task.Exception,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    /// <summary>Commits every queued entry, then stops the writer.</summary>
    public async ValueTask DisposeAsync()
    {
        _entries.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task RunWriterAsync()
    {
        var group = new List<PendingEntry>(MaxGroupSize);
        while (await _entries.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            group.Clear();
            while (group.Count < MaxGroupSize && _entries.Reader.TryRead(out PendingEntry? pending))
            {
                group.Add(pending);
            }

            CommitGroup(group);
        }
    }

    private void CommitGroup(List<PendingEntry> group)
    {
        try
        {
            using SqliteConnection connection = _database.Open();
            using SqliteTransaction transaction = connection.BeginTransaction();
            AuditChain.Append(connection, transaction, group.Select(pending => pending.Draft).ToList());
            transaction.Commit();
            group.ForEach(pending => pending.Completion.TrySetResult());
        }
        catch (SqliteException exception)
        {
            LogCommitFailed(exception, group.Count);
            group.ForEach(pending => pending.Completion.TrySetException(exception));
        }
    }

    [LoggerMessage(EventId = 1901, Level = LogLevel.Error,
        Message = "Committing {Count} audit entries failed; they are missing from the audit chain")]
    private partial void LogCommitFailed(Exception exception, int count);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning,
        Message = "Audit entry {Kind} by {Actor} arrived after the audit log shut down and was not stored")]
    private partial void LogShutDown(string kind, string actor);

    private sealed class PendingEntry(AuditDraft draft)
    {
        public AuditDraft Draft { get; } = draft;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
