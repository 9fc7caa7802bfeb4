using System.Text;
using BenchmarkDotNet.Attributes;
using EdgeIoT.Hub.Ledger;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Ledger;
using EdgeIoT.Protocol.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EdgeIoT.Benchmarks;

/// <summary>
/// Time from network restore to an empty hub reconciliation queue for <see cref="Events"/>
/// queued events, pushed to a real ledger process-local on loopback with SQLite files. The
/// anchor posts the same events to the same kind of ledger straight from memory, in batches
/// of the same size, so the ratio is the cost of the hub's queue on top of the ledger's own.
/// Each iteration takes seconds and needs a fresh queue, so run it with the monitoring strategy
/// and no warmup (docs/benchmarks.md gives the command). With <see cref="PostgresVariable"/> set
/// to an Npgsql connection string, the ledger uses its PostgreSQL store instead, in a database
/// created for each iteration and dropped after it.
/// </summary>
public class QueueDrainBenchmarks
{
    public const int Events = 100_000;

    public const string PostgresVariable = "EDGEIOT_DRAIN_POSTGRES";

    private readonly string? _postgres = Environment.GetEnvironmentVariable(PostgresVariable);

    private EdgeEvent[] _events = [];
    private string _folder = string.Empty;
    private WebApplication? _ledger;
    private HubDatabase? _hub;
    private HttpClient? _http;
    private int _run;
    private string? _database;

    [Params(500, 5000)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _events = Enumerable.Range(1, Events).Select(seq => SampleEvents.Decision("gate-" + (seq % 8), seq)).ToArray();
        _folder = Path.Combine(Path.GetTempPath(), "edgeiot-drain-" + Guid.NewGuid().ToString("N")[..8]);
        _http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
    }

    [IterationSetup]
    public void StartLedgerAndFillQueue()
    {
        string run = Path.Combine(_folder, (++_run).ToString(System.Globalization.CultureInfo.InvariantCulture));
        string? postgres = CreateDatabase();
        _ledger = LedgerApp.Build([], options =>
        {
            options.Urls = "http://127.0.0.1:0";
            options.Sqlite.Path = Path.Combine(run, "ledger.db");
            if (postgres is not null)
            {
                options.Store = EdgeIoT.Ledger.LedgerOptions.PostgresStore;
                options.Postgres.ConnectionString = postgres;
            }
        });
        _ledger.StartAsync().GetAwaiter().GetResult();

        _hub = new HubDatabase(new HubOptions { DataDirectory = Path.Combine(run, "hub") });
        _hub.Migrate();
        var writer = new EventWriter(_hub, NullLogger<EventWriter>.Instance);
        Task.WhenAll(_events.Select(writer.AppendAsync)).GetAwaiter().GetResult();
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void StopLedger()
    {
        _ledger!.StopAsync().GetAwaiter().GetResult();
        _ledger.DisposeAsync().AsTask().GetAwaiter().GetResult();
        SqliteConnection.ClearAllPools();
        if (_database is not null)
        {
            ExecuteAdmin($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
            _database = null;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _http?.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public async Task DirectPostsAnchor()
    {
        Uri batches = new(new Uri(_ledger!.Urls.First()), "/v1/batches");
        for (int start = 0; start < Events; start += BatchSize)
        {
            var body = new StringBuilder("{\"hubId\":\"bench\",\"events\":[");
            for (int i = start; i < Math.Min(Events, start + BatchSize); i++)
            {
                body.Append(i == start ? string.Empty : ",").Append(Encoding.UTF8.GetString(ProtocolJson.Serialize(_events[i])));
            }

            using var content = new StringContent(body.Append("]}").ToString(), Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await _http!.PostAsync(batches, content);
            response.EnsureSuccessStatusCode();
        }
    }

    [Benchmark]
    public async Task HubQueueDrain()
    {
        var options = new HubOptions { Venue = "bench" };
        options.Ledger.BaseUrl = _ledger!.Urls.First();
        options.Ledger.BatchSize = BatchSize;
        var queue = new ReconciliationStore(_hub!);
        await using var writer = new EventWriter(_hub!, NullLogger<EventWriter>.Instance);
        using var sync = new LedgerSyncService(
            queue, writer, new LedgerSyncStatus(), new SingleClientFactory(_http!), options, TimeProvider.System,
            NullLogger<LedgerSyncService>.Instance);

        await sync.StartAsync(CancellationToken.None);
        using (var connection = _hub!.Open())
        {
            // An EXISTS probe reads one entry of the unsent index, so polling it costs the
            // drain nothing measurable. Counting up to 100,000 unsent rows every 10 ms took CPU
            // from the drain itself (2.5 % of thread time in a trace).
            while (HubDatabase.Scalar(connection, "SELECT EXISTS (SELECT 1 FROM events WHERE sent_ms IS NULL AND dead = 0);") is 1L)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10));
            }
        }

        await sync.StopAsync(CancellationToken.None);
    }

    /// <summary>Creates an empty PostgreSQL database for one iteration; returns null for the SQLite store.</summary>
    private string? CreateDatabase()
    {
        if (string.IsNullOrWhiteSpace(_postgres))
        {
            return null;
        }

        _database = "edgeiot_drain_" + Guid.NewGuid().ToString("N")[..12];
        ExecuteAdmin($"CREATE DATABASE \"{_database}\"");
        return new NpgsqlConnectionStringBuilder(_postgres) { Database = _database }.ConnectionString;
    }

    private void ExecuteAdmin(string sql)
    {
        using var connection = new NpgsqlConnection(_postgres);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private sealed class SingleClientFactory(HttpClient client) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => client;
    }
}
