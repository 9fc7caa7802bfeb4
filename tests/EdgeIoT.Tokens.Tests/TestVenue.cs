using System.Collections.Concurrent;
using System.Net.Http.Json;
using EdgeIoT.Hub;
using EdgeIoT.Hub.Api;
using EdgeIoT.Hub.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Tokens.Tests;

/// <summary>
/// A hub started in-process on OS-chosen loopback ports, with its own data folder, the venue's
/// default offline policy and one paid guest (order code PX-1). Disposing stops it, deletes the
/// folder and fails the test when the hub logged an error.
/// </summary>
internal sealed class TestVenue : IAsyncDisposable, ILoggerProvider
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    public const string GuestCsv =
        "Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status,Seat,Zone\r\n"
        + "PX-1,A One,a@example.test,General Admission,standard,paid,,0\r\n"
        + "PX-5,Tor Lin,tor@example.test,Creator,vip,complimentary,,0\r\n";

    private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Message)> _logs = new();
    private readonly string _directory;
    private WebApplication? _app;
    private bool _stopped;

    private TestVenue(string directory)
    {
        _directory = directory;
    }

    public HubEndpoints Endpoints { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public KeyRing Keys => _app!.Services.GetRequiredService<KeyRing>();

    public uint EventId => 1;

    public byte[] RootPublicKey => Convert.FromBase64String(Endpoints.RootPublicKey);

    public static async Task<TestVenue> StartAsync()
    {
        string directory = Path.Combine(Path.GetTempPath(), "edgeiot-token-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var venue = new TestVenue(directory);
        venue._app = HubApp.Build(
            [],
            options =>
            {
                options.DataDirectory = directory;
                options.EventId = 1;
                options.Mqtt.Port = 0;
                options.Http.Urls = "http://127.0.0.1:0";
                options.Ledger.BaseUrl = "http://127.0.0.1:9";
                options.PolicyFile = Path.Combine(AppContext.BaseDirectory, "policies", "venue-default.json");
            },
            configureServices: services => services.AddLogging(logging => logging.ClearProviders().AddProvider(venue)));
        await venue._app.StartAsync();
        venue.Endpoints = HubEndpoints.Read(directory);
        venue.Http = new HttpClient { BaseAddress = new Uri(venue.Endpoints.HttpUrl), Timeout = Timeout };
        venue.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", EdgeIoT.Hub.Security.OperatorToken.TryRead(directory));

        using var csv = new StringContent(GuestCsv, System.Text.Encoding.UTF8, "text/csv");
        (await venue.Http.PostAsync("/api/entitlements/import", csv)).EnsureSuccessStatusCode();
        return venue;
    }

    /// <summary>Number of hub log entries with this event id so far.</summary>
    public int LogCount(int eventId) => _logs.Count(entry => entry.EventId == eventId);

    public async Task<EnrollDeviceResponse> EnrollAsync(string deviceId, string deviceClass)
    {
        HttpResponseMessage response = await Http.PostAsJsonAsync("/api/devices", new { deviceId, deviceClass, zone = 0 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<EnrollDeviceResponse>())!;
    }

    public async Task<PassResponse> IssuePassAsync(string orderCode)
    {
        HttpResponseMessage response = await Http.PostAsJsonAsync("/api/passes", new { orderCode });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<PassResponse>())!;
    }

    public async Task<string> CheckInAsync(string orderCode)
    {
        HttpResponseMessage response = await Http.PostAsJsonAsync("/api/checkin", new { orderCode });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
    }

    /// <summary>Adds an assistant to creator PX-5 and returns the assistant's entitlement id.</summary>
    public async Task<uint> AddAssistantAsync()
    {
        HttpResponseMessage response = await Http.PostAsJsonAsync(
            "/api/creators/PX-5/assistants", new { name = "Ada", spendLimitMinor = 2000 });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<AssistantResponse>())!.AssistantEntitlementId;
    }

    public async Task<string> AssistantTokenAsync(uint assistantId, string form)
    {
        HttpResponseMessage response = await Http.PostAsync($"/api/assistants/{assistantId}/token?form={form}", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
    }

    /// <summary>Stops the hub, so devices lose it as in an outage; disposing does not stop it again.</summary>
    public async Task StopAsync()
    {
        if (_app is not null && !_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a folder in the temp directory behind.
        }

        string[] errors = [.. _logs.Where(entry => entry.Level >= LogLevel.Error).Select(entry => entry.Message)];
        Assert.True(errors.Length == 0, "The hub logged errors:\n" + string.Join("\n", errors));
    }

    ILogger ILoggerProvider.CreateLogger(string categoryName) => new Recorder(_logs);

    void IDisposable.Dispose()
    {
    }

    private sealed class Recorder(ConcurrentQueue<(LogLevel, int, string)> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            logs.Enqueue((logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}
