using System.Net.Http.Json;
using EdgeIoT.Hub;
using EdgeIoT.Hub.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.LoadBench;

/// <summary>
/// The hub with its embedded broker on OS-chosen loopback ports with a fresh data folder: every
/// event is committed to SQLite (WAL, synchronous=FULL) before its PUBACK. It runs in this
/// process, or with <see cref="StartProcessAsync"/> as its own process (the hub CLI's run
/// command), so that the hub does not share its CPU time and garbage collector with the gates.
/// </summary>
public sealed class HubTarget : IAsyncDisposable
{
    private static readonly TimeSpan ProcessStartTimeout = TimeSpan.FromSeconds(60);

    private readonly WebApplication? _app;
    private readonly HubProcess? _process;
    private readonly HttpClient _http;

    private HubTarget(string dataDirectory, WebApplication? app, HubProcess? process, HubEndpoints endpoints)
    {
        DataDirectory = dataDirectory;
        _app = app;
        _process = process;
        Endpoints = endpoints;
        _http = new HttpClient { BaseAddress = new Uri(endpoints.HttpUrl), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", Hub.Security.OperatorToken.TryRead(dataDirectory));
    }

    public string DataDirectory { get; }

    public HubEndpoints Endpoints { get; }

    /// <summary>Processor time the hub used so far; null when it runs in this process and shares it with the gates.</summary>
    public TimeSpan? HubProcessorTime => _process?.ProcessorTime;

    /// <summary>Starts the hub in this process.</summary>
    public static async Task<HubTarget> StartAsync(string venue)
    {
        string directory = NewDataDirectory();
        WebApplication app = HubApp.Build(
            ["--Logging:LogLevel:Default=Warning"],
            options =>
            {
                options.Venue = venue;
                options.DataDirectory = directory;
                options.Mqtt.Port = 0;
                options.Http.Urls = "http://127.0.0.1:0";
                // Nothing listens here: the events stay queued, as during a ledger outage.
                options.Ledger.BaseUrl = "http://127.0.0.1:9";
            });
        await app.StartAsync();
        return new HubTarget(directory, app, process: null, HubApp.GetEndpoints(app.Services));
    }

    /// <summary>
    /// Starts the hub as its own process, <c>dotnet EdgeIoT.Hub.dll run</c> from this program's
    /// folder, with the same settings as <see cref="StartAsync"/>, and waits for its endpoints file.
    /// </summary>
    public static async Task<HubTarget> StartProcessAsync(string venue)
    {
        string directory = NewDataDirectory();
        HubProcess process = HubProcess.Start(
        [
            "run", "--data", directory,
            $"--Hub:Venue={venue}",
            "--Hub:Mqtt:Port=0",
            "--Hub:Http:Urls=http://127.0.0.1:0",
            "--Hub:Ledger:BaseUrl=http://127.0.0.1:9",
            "--Logging:LogLevel:Default=Warning",
        ]);
        try
        {
            await process.WaitForFileAsync(Path.Combine(directory, HubEndpoints.FileName), ProcessStartTimeout);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new HubTarget(directory, app: null, process, HubEndpoints.Read(directory));
    }

    /// <summary>Enrolls a gate and returns its MQTT credentials.</summary>
    public async Task<(string User, string Password)> EnrollAsync(string deviceId)
    {
        HttpResponseMessage response = await _http.PostAsJsonAsync("/api/devices", new { deviceId, deviceClass = "firmware", zone = 0 });
        response.EnsureSuccessStatusCode();
        EnrollDeviceResponse enrolled = (await response.Content.ReadFromJsonAsync<EnrollDeviceResponse>())!;
        return (enrolled.MqttUsername, enrolled.MqttPassword);
    }

    /// <summary>Counts the stored events through a connection of its own, as an operator would.</summary>
    public long CountStoredEvents()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "hub.db")};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events;";
        return (long)command.ExecuteScalar()!;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover folder in the temp directory is harmless.
        }
    }

    private static string NewDataDirectory() =>
        Path.Combine(Path.GetTempPath(), "edgeiot-loadbench", Guid.NewGuid().ToString("N"));
}
