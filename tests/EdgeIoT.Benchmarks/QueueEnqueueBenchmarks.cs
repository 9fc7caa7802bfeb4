using BenchmarkDotNet.Attributes;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Benchmarks;

/// <summary>
/// Durable enqueue of <see cref="Events"/> events into the two SQLite queues, each commit with
/// synchronous=FULL on a real file. The anchor inserts the same rows in one transaction, the
/// floor any durable queue on this disk can reach.
/// </summary>
[MemoryDiagnoser]
public class QueueEnqueueBenchmarks
{
    public const int Events = 10_000;

    private string _folder = string.Empty;
    private EdgeEvent[] _events = [];
    private int _run;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "edgeiot-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_folder);
        _events = Enumerable.Range(1, Events).Select(seq => SampleEvents.Decision("gate-1", seq)).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public void OneTransactionAnchor()
    {
        using var connection = new SqliteConnection($"Data Source={NextFile("anchor")};Pooling=False");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE events (event_id TEXT PRIMARY KEY, json TEXT NOT NULL);");
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO events (event_id, json) VALUES ($id, $json)";
        SqliteParameter id = insert.Parameters.Add("$id", SqliteType.Text);
        SqliteParameter json = insert.Parameters.Add("$json", SqliteType.Text);
        foreach (EdgeEvent edgeEvent in _events)
        {
            id.Value = edgeEvent.EventId;
            json.Value = System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(edgeEvent));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The hub's ingest: every event awaits its own commit, and concurrent appends share one.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public async Task HubQueueGroupCommit()
    {
        var options = new HubOptions { DataDirectory = NextFile("hub") };
        var database = new HubDatabase(options);
        database.Migrate();
        await using var writer = new EventWriter(database, NullLogger<EventWriter>.Instance);

        await Task.WhenAll(_events.Select(writer.AppendAsync));
    }

    /// <summary>The agent's outbox, which commits each event before the gate decision returns.</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public void AgentOutboxCommitPerEvent()
    {
        using var outbox = new EventOutbox(NextFile("outbox") + ".db", "gate-1", capacity: Events + 1);
        for (int i = 0; i < Events; i++)
        {
            outbox.Append(EventKinds.Decision, i, static (draft, _) => draft with { Outcome = "admit", Reason = "none", Mode = "offline" });
        }
    }

    private string NextFile(string name) => Path.Combine(_folder, name + "-" + Interlocked.Increment(ref _run));

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
