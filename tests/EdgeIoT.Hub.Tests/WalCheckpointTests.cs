using System.Threading.Channels;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// The event queue's WAL checkpoints run on their own connection and task, so acknowledging an
/// event never waits for a checkpoint to copy pages into the database file.
/// </summary>
public sealed class WalCheckpointTests : IDisposable
{
    private readonly HubOptions _options = new()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "edgeiot-checkpoint-tests", Guid.NewGuid().ToString("N")),
    };

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_options.DataDirectory, recursive: true);
    }

    [Fact]
    public async Task AppendAsync_CheckpointInProgress_StillCommits()
    {
        await using EventWriter writer = StartWriter();
        var passStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        writer.Checkpointer.BeforePass = async cancellationToken =>
        {
            passStarted.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        };

        // The first commit leaves the queue idle, so the writer requests a checkpoint, and that pass never ends.
        Assert.True(await writer.AppendAsync(TestData.Event("gate-1", 1)).WaitAsync(HubHarness.Timeout));
        await passStarted.Task.WaitAsync(HubHarness.Timeout);
        bool[] stored = await Task.WhenAll(Enumerable.Range(2, 200)
            .Select(seq => writer.AppendAsync(TestData.Event("gate-1", seq))))
            .WaitAsync(HubHarness.Timeout);

        Assert.DoesNotContain(false, stored);
        Assert.Equal(201, CountStoredEvents());
    }

    [Fact]
    public async Task Checkpointer_QueueIdle_CopiesWholeWal()
    {
        await using EventWriter writer = StartWriter();
        var passes = Channel.CreateUnbounded<WalCheckpointResult>();
        writer.Checkpointer.Completed += result => passes.Writer.TryWrite(result);

        await Task.WhenAll(Enumerable.Range(1, 500).Select(seq => writer.AppendAsync(TestData.Event("gate-1", seq))))
            .WaitAsync(HubHarness.Timeout);
        WalCheckpointResult last = await ReadUntilCompleteAsync(passes.Reader).WaitAsync(HubHarness.Timeout);

        Assert.False(last.Busy);
        Assert.True(last.LogFrames > 0, $"WAL frames before the pass: {last.LogFrames}");
        Assert.Equal(last.LogFrames, last.CheckpointedFrames);
    }

    // The last commit leaves the queue idle, and a pass that runs then copies every frame. Passes
    // that ran beside the writer may have copied fewer.
    private static async Task<WalCheckpointResult> ReadUntilCompleteAsync(ChannelReader<WalCheckpointResult> passes)
    {
        while (true)
        {
            WalCheckpointResult result = await passes.ReadAsync();
            if (result.LogFrames > 0 && result.CheckpointedFrames == result.LogFrames)
            {
                return result;
            }
        }
    }

    private EventWriter StartWriter()
    {
        var database = new HubDatabase(_options);
        database.Migrate();
        return new EventWriter(database, NullLogger<EventWriter>.Instance);
    }

    private long CountStoredEvents()
    {
        using var connection = new SqliteConnection($"Data Source={_options.DatabasePath};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events;";
        return (long)command.ExecuteScalar()!;
    }
}
