using System.Net.Http.Json;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Api;
using EdgeIoT.Hub.Options;
using EdgeIoT.Protocol.Crypto;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// A hub started in-process on OS-chosen loopback ports with its own temporary data folder.
/// Disposing stops it, fails the test if the hub logged an unexpected error, and deletes the folder.
/// </summary>
public sealed class HubHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly List<IMqttClient> _clients = [];
    private WebApplication? _app;

    private HubHarness(string dataDirectory)
    {
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    public CapturedLogs Logs { get; } = new();

    public HubEndpoints Endpoints { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public HubOptions Options { get; private set; } = null!;

    /// <summary>Log entries at Error or above that the test expects, so disposal does not fail on them.</summary>
    public bool ErrorsExpected { get; set; }

    public WebApplication App => _app ?? throw new InvalidOperationException("The hub is not started.");

    /// <summary>Keeps the data folder on disposal, so a second hub can restart on it.</summary>
    public bool KeepData { get; set; }

    public static async Task<HubHarness> StartAsync(
        Action<HubOptions>? configure = null, string? dataDirectory = null, TimeProvider? time = null)
    {
        string directory = dataDirectory
            ?? Path.Combine(Path.GetTempPath(), "edgeiot-hub-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var harness = new HubHarness(directory);
        await harness.StartHubAsync(configure, time);
        return harness;
    }

    public async Task<EnrollDeviceResponse> EnrollAsync(string deviceId, string deviceClass = "agent", int zone = 0)
    {
        HttpResponseMessage response = await Http.PostAsJsonAsync(
            "/api/devices", new { deviceId, deviceClass, zone });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<EnrollDeviceResponse>())!;
    }

    public MqttClientOptions ClientOptions(string clientId, string? userName, string? password)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Endpoints.MqttPort)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(Timeout);
        if (userName is not null)
        {
            builder = builder.WithCredentials(userName, password);
        }

        return builder.Build();
    }

    /// <summary>Enrolls the device and connects it with its new credentials.</summary>
    public async Task<IMqttClient> ConnectDeviceAsync(string deviceId)
    {
        EnrollDeviceResponse enrolled = await EnrollAsync(deviceId);
        IMqttClient client = NewClient();
        using var cancellation = new CancellationTokenSource(Timeout);
        MqttClientOptions options = ClientOptions(deviceId, enrolled.MqttUsername, enrolled.MqttPassword);
        while (true)
        {
            MqttClientConnectResult result = await client.ConnectAsync(options, cancellation.Token);
            if (result.ResultCode == MqttClientConnectResultCode.Success || Options.Mqtt.Mode != BrokerMode.External)
            {
                return client;
            }

            // Mosquitto reloads its password file a moment after the hub's SIGHUP; the enrollment
            // does not wait for it, so the first logins may still be refused.
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellation.Token);
        }
    }

    public IMqttClient NewClient()
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        _clients.Add(client);
        return client;
    }

    public async Task<HttpResponseMessage> ImportAsync(string csv)
    {
        using var content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        return await Http.PostAsync("/api/entitlements/import", content);
    }

    /// <summary>Starts a hub whose guest list contains one paid standard guest, order code PX-1.</summary>
    public static async Task<HubHarness> StartWithGuestAsync()
    {
        HubHarness hub = await StartAsync();
        (await hub.ImportAsync(TestData.Guests("PX-1,A One,a@example.test,General Admission,standard,paid,,0"))).EnsureSuccessStatusCode();
        return hub;
    }

    /// <summary>Returns a device-side verifier holding the key list that GET /api/keys serves, as a gate installs it.</summary>
    public async Task<TokenVerifier> FetchVerifierAsync()
    {
        KeyListResponse keys = (await Http.GetFromJsonAsync<KeyListResponse>("/api/keys"))!;
        KeyList list = KeyList.TryParseSigned(
            Convert.FromBase64String(keys.SignedKeyList), Convert.FromBase64String(keys.RootPublicKey),
            NSecSignatureVerifier.Instance, out string? error)
            ?? throw new InvalidOperationException("The hub's key list does not verify: " + error);
        var verifier = new TokenVerifier(NSecSignatureVerifier.Instance, keys.EventId, skewSeconds: 20);
        Assert.True(verifier.TryInstallKeys(list));
        return verifier;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IMqttClient client in _clients)
        {
            client.Dispose();
        }

        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (!KeepData)
        {
            DeleteData();
        }

        if (!ErrorsExpected)
        {
            string[] errors = Logs.AtLeast(LogLevel.Error)
                .Select(entry => $"{entry.Category}: {entry.Message} {entry.Exception}")
                .ToArray();
            Assert.True(errors.Length == 0, "The hub logged unexpected errors:\n" + string.Join("\n", errors));
        }
    }

    public void DeleteData()
    {
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a folder in the temp directory behind.
        }
    }

    private async Task StartHubAsync(Action<HubOptions>? configure, TimeProvider? time)
    {
        _app = HubApp.Build(
            [],
            options =>
            {
                options.DataDirectory = DataDirectory;
                options.Mqtt.Port = 0;
                options.Http.Urls = "http://127.0.0.1:0";
                options.Ledger.BaseUrl = "http://127.0.0.1:9";
                options.Ledger.RetryDelay = TimeSpan.FromMilliseconds(50);
                options.Ledger.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
                configure?.Invoke(options);
            },
            time,
            configureServices: services => services.AddLogging(logging => logging.ClearProviders().AddProvider(Logs)));
        await _app.StartAsync();

        Options = _app.Services.GetRequiredService<HubOptions>();
        Endpoints = HubEndpoints.Read(DataDirectory);
        Http = new HttpClient { BaseAddress = new Uri(Endpoints.HttpUrl), Timeout = Timeout };
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", Security.OperatorToken.TryRead(DataDirectory));
    }
}
