using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Storage;

/// <summary>
/// Background checkpoints of the hub database's WAL, on a connection and a task of their own, so
/// the event writer's commits do not wait while a checkpoint copies pages into the database file
/// and syncs it.
/// </summary>
/// <remarks>
/// A PASSIVE checkpoint runs beside the writer and takes no lock that a commit needs (SQLite,
/// PRAGMA wal_checkpoint). Under unbroken load it never catches up with the writer, so SQLite
/// cannot start the WAL over and the file keeps growing. Once a pass finds at least
/// <see cref="RestartFrames"/> frames in the WAL, one RESTART pass follows: it waits for the
/// commit in progress, copies the few frames the passive pass left, and blocks new commits until
/// it is done, so that the next commit writes from the start of the WAL again.
/// </remarks>
internal sealed partial class WalCheckpointer : IAsyncDisposable
{
    /// <summary>WAL frames (pages) from which a RESTART pass follows the passive one: about 40 MB at 4 KiB pages.</summary>
    internal const int RestartFrames = 10_000;

    private readonly HubDatabase _database;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private SqliteConnection? _connection;
    private int _requested;

    public WalCheckpointer(HubDatabase database, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(logger);

        _database = database;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Raised after each pass with the WAL frames before it and the frames it copied.</summary>
    public event Action<WalCheckpointResult>? Completed;

    /// <summary>Awaited before each pass; tests use it to hold a pass open.</summary>
    internal Func<CancellationToken, Task>? BeforePass { get; set; }

    /// <summary>
    /// Asks for a pass and returns at once. Requests made while a pass runs are merged into one
    /// further pass.
    /// </summary>
    public void Request()
    {
        if (Interlocked.Exchange(ref _requested, 1) == 0)
        {
            _signal.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _connection?.Dispose();
        _stopping.Dispose();
        _signal.Dispose();
    }

    private async Task RunAsync()
    {
        CancellationToken stopping = _stopping.Token;
        try
        {
            while (true)
            {
                await _signal.WaitAsync(stopping).ConfigureAwait(false);
                Volatile.Write(ref _requested, 0);
                if (BeforePass is { } beforePass)
                {
                    await beforePass(stopping).ConfigureAwait(false);
                }

                RunPass();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Disposed: the last connection to close checkpoints what is left.
        }
    }

    private void RunPass()
    {
        try
        {
            _connection ??= _database.Open();
            WalCheckpointResult result = Checkpoint(_connection, "PASSIVE");
            if (result.LogFrames >= RestartFrames)
            {
                // NOTE: the load benchmark reaches this pass in a 10,000/s rush, but how long it blocks commits is not measured.
                result = Checkpoint(_connection, "RESTART");
            }

            Completed?.Invoke(result);
        }
        catch (SqliteException exception)
        {
            LogCheckpointFailed(exception);
            _connection?.Dispose();
            _connection = null;
        }
    }

    private static WalCheckpointResult Checkpoint(SqliteConnection connection, string mode)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode});";
        using SqliteDataReader reader = command.ExecuteReader();
        reader.Read();

        // The row is (busy, log, checkpointed): busy is 1 when a RESTART could not get the locks
        // it waits for within the busy timeout.
        return new WalCheckpointResult(mode, reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2));
    }

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Checkpointing the event queue's WAL failed; the next request tries again")]
    private partial void LogCheckpointFailed(Exception exception);
}
