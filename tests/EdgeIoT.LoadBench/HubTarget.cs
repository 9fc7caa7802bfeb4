using System.Net.Http.Json;
using EdgeIoT.Hub;
using EdgeIoT.Hub.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.LoadBench;

/// <summary>
/// The hub with its embedded broker, started in this process on an OS-chosen loopback port
/// with a fresh data folder: every event is committed to SQLite (WAL, synchronous=FULL) before
/// its PUBACK.
/// </summary>
public sealed class HubTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private HubTarget(string dataDirectory, WebApplication app, HubEndpoints endpoints)
    {
        DataDirectory = dataDirectory;
        _app = app;
        Endpoints = endpoints;
        _http = new HttpClient { BaseAddress = new Uri(endpoints.HttpUrl), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", Hub.Security.OperatorToken.TryRead(dataDirectory));
    }

    public string DataDirectory { get; }

    public HubEndpoints Endpoints { get; }

    public static async Task<HubTarget> StartAsync(string venue)
    {
        string directory = Path.Combine(Path.GetTempPath(), "edgeiot-loadbench", Guid.NewGuid().ToString("N"));
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
        return new HubTarget(directory, app, HubApp.GetEndpoints(app.Services));
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
        await _app.StopAsync();
        await _app.DisposeAsync();
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
}
