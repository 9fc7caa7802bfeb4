using System.Net;
using EdgeIoT.Hub;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Simulator.Faults;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The venue hub, hosted in this process with its broker and API on OS-chosen loopback ports.
/// Its HTTP API is reached through a fault proxy, so a power cut can restart the hub on the
/// same data folder, on new ports, while every client keeps its address.
/// </summary>
public sealed class HubNode : IAsyncDisposable
{
    private readonly HubSettings _settings;
    private readonly FaultProxy _apiLink;
    private WebApplication _app;

    private HubNode(HubSettings settings, WebApplication app, FaultProxy apiLink)
    {
        _settings = settings;
        _app = app;
        _apiLink = apiLink;
        Endpoints = HubEndpoints.Read(settings.DataDirectory);
        var http = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{apiLink.Port}"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", Hub.Security.OperatorToken.TryRead(settings.DataDirectory));
        Client = new HubClient(http);
    }

    public HubEndpoints Endpoints { get; private set; }

    public string DataDirectory => _settings.DataDirectory;

    /// <summary>The broker's current address; it changes when the hub restarts after a power cut.</summary>
    public IPEndPoint MqttEndpoint => new(IPAddress.Loopback, Endpoints.MqttPort);

    public HubClient Client { get; }

    /// <summary>The hub's wall clock, which a clock step fault moves.</summary>
    public SimulatedClock Clock => _settings.Clock;

    public uint EventId => Endpoints.EventId;

    public string Venue => Endpoints.Venue;

    public byte[] RootPublicKey => Convert.FromBase64String(Endpoints.RootPublicKey);

    public bool IsPoweredOff { get; private set; }

    /// <summary>File where the hub's stand-in SMS gateway writes one-time codes.</summary>
    public string SmsOutboxFile => Path.Combine(DataDirectory, "sms-outbox.jsonl");

    public static async Task<HubNode> StartAsync(HubSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);

        Directory.CreateDirectory(settings.DataDirectory);
        WebApplication app = Build(settings);
        await app.StartAsync(cancellationToken);
        HubEndpoints endpoints = HubEndpoints.Read(settings.DataDirectory);
        var apiLink = new FaultProxy(
            "hub-api", ApiEndpoint(endpoints), settings.Loggers.CreateLogger("EdgeIoT.Simulator.Faults.HubApiLink"));
        return new HubNode(settings, app, apiLink);
    }

    /// <summary>The edge key signing now and when its successor takes over.</summary>
    public DateTimeOffset CurrentKeyEnd() =>
        _app.Services.GetRequiredService<KeyRing>().SigningKeyAt(Clock.GetUtcNow()).NotAfter;

    /// <summary>
    /// Cuts the hub's power: its API link is cut first so nothing more gets in, and the host
    /// stops without its graceful shutdown work.
    /// </summary>
    public async Task PowerLossAsync()
    {
        if (IsPoweredOff)
        {
            return;
        }

        IsPoweredOff = true;
        _apiLink.Partition();
        await _app.StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _app.DisposeAsync();
    }

    /// <summary>Starts the hub again on the same data folder and points the API link at its new port.</summary>
    public async Task PowerOnAsync(CancellationToken cancellationToken)
    {
        if (!IsPoweredOff)
        {
            return;
        }

        WebApplication app = Build(_settings);
        await app.StartAsync(cancellationToken);
        _app = app;
        Endpoints = HubEndpoints.Read(_settings.DataDirectory);
        _apiLink.Retarget(ApiEndpoint(Endpoints));
        _apiLink.Heal();
        IsPoweredOff = false;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _apiLink.DisposeAsync();
        if (!IsPoweredOff)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private static IPEndPoint ApiEndpoint(HubEndpoints endpoints) =>
        new(IPAddress.Loopback, new Uri(endpoints.HttpUrl).Port);

    private static WebApplication Build(HubSettings settings) =>
        HubApp.Build(
            HostArguments.InProcess(),
            options =>
            {
                options.Venue = settings.Venue;
                options.DataDirectory = settings.DataDirectory;
                options.PolicyFile = settings.PolicyFile;
                options.EventEnd = settings.EventEnd;
                options.Mqtt.Port = 0;
                options.Http.Urls = "http://127.0.0.1:0";
                options.Ledger.BaseUrl = settings.LedgerUrl.ToString();
                options.Ledger.HubId = settings.Venue;
                if (settings.KeyRotationInterval is { } interval)
                {
                    options.Keys.RotationInterval = interval;
                }
            },
            settings.Clock,
            services => HostArguments.UseLoggers(services, settings.Loggers));
}

/// <summary>What the hub needs to start, and to start again after a power cut.</summary>
public sealed record HubSettings(
    string DataDirectory,
    string Venue,
    Uri LedgerUrl,
    string PolicyFile,
    SimulatedClock Clock,
    DateTimeOffset EventEnd,
    TimeSpan? KeyRotationInterval,
    ILoggerFactory Loggers);
