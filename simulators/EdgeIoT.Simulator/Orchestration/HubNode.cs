using System.Net;
using EdgeIoT.Hub;
using EdgeIoT.Simulator.Faults;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The venue hub with its broker and API on OS-chosen loopback ports, hosted in this process
/// or as its own process (<see cref="HubHost"/>). Its HTTP API is reached through a fault
/// proxy, so a power cut can restart the hub on the same data folder, on new ports, while
/// every client keeps its address.
/// </summary>
public sealed class HubNode : IAsyncDisposable
{
    private readonly HubSettings _settings;
    private readonly IHubHost _host;
    private readonly FaultProxy _apiLink;

    private HubNode(HubSettings settings, IHubHost host, FaultProxy apiLink)
    {
        _settings = settings;
        _host = host;
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

    /// <summary>Process id of the running hub process; null for a hub in this process or while the power is off.</summary>
    public int? ProcessId => _host.ProcessId;

    /// <summary>The hub's wall clock, which a clock step fault moves; only a hub in this process has one.</summary>
    public SimulatedClock Clock => _host is InProcessHubHost
        ? _settings.Clock
        : throw new InvalidOperationException(
            "A hub in its own process runs on the system clock, which the simulator cannot move; use venue.hub.host simulator.");

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
        IHubHost host = settings.Host == HubHost.Process
            ? new HubProcess(settings, settings.ProcessLogFile)
            : new InProcessHubHost(settings);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch
        {
            // A hub process that did not come up in time may still be running.
            await host.DisposeAsync();
            throw;
        }

        HubEndpoints endpoints = HubEndpoints.Read(settings.DataDirectory);
        var apiLink = new FaultProxy(
            "hub-api", ApiEndpoint(endpoints), settings.Loggers.CreateLogger("EdgeIoT.Simulator.Faults.HubApiLink"));
        return new HubNode(settings, host, apiLink);
    }

    /// <summary>The edge key signing now and when its successor takes over; only for a hub in this process.</summary>
    public DateTimeOffset CurrentKeyEnd() => _host is InProcessHubHost inProcess
        ? inProcess.CurrentKeyEnd()
        : throw new InvalidOperationException(
            "The key ring of a hub in its own process is out of the simulator's reach; use venue.hub.host simulator.");

    /// <summary>
    /// Cuts the hub's power: its API link is cut first so nothing more gets in, and the hub
    /// stops without its graceful shutdown work. Returns a detail for the report, or null.
    /// </summary>
    public async Task<string?> PowerLossAsync()
    {
        if (IsPoweredOff)
        {
            return null;
        }

        IsPoweredOff = true;
        _apiLink.Partition();
        return await _host.PowerLossAsync();
    }

    /// <summary>
    /// Starts the hub again on the same data folder and points the API link at its new port.
    /// Returns a detail naming the new hub process, or null for a hub in this process.
    /// </summary>
    public async Task<string?> PowerOnAsync(CancellationToken cancellationToken)
    {
        if (!IsPoweredOff)
        {
            return null;
        }

        await _host.StartAsync(cancellationToken);
        Endpoints = HubEndpoints.Read(_settings.DataDirectory);
        _apiLink.Retarget(ApiEndpoint(Endpoints));
        _apiLink.Heal();
        IsPoweredOff = false;
        return ProcessId is { } processId ? $"restarted as pid {processId}" : null;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _apiLink.DisposeAsync();
        await _host.DisposeAsync();
    }

    private static IPEndPoint ApiEndpoint(HubEndpoints endpoints) =>
        new(IPAddress.Loopback, new Uri(endpoints.HttpUrl).Port);
}

/// <summary>What the hub needs to start, and to start again after a power cut.</summary>
/// <param name="Clock">The hub's clock; a hub process ignores it and runs on the system clock.</param>
/// <param name="ProcessLogFile">File for the output of a hub process, unused for a hub in this process.</param>
public sealed record HubSettings(
    string DataDirectory,
    string Venue,
    Uri LedgerUrl,
    string PolicyFile,
    SimulatedClock Clock,
    DateTimeOffset EventEnd,
    TimeSpan? KeyRotationInterval,
    ILoggerFactory Loggers,
    HubHost Host,
    string ProcessLogFile);
