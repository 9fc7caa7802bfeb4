using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeIoT.Simulator.Faults;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.EndToEnd.Tests.Chaos;

/// <summary>
/// The processes of a venue for the chaos test: ledger, hub, one edge agent and one virtual
/// ESP32, each its own OS process. The hub reaches the ledger through one fault proxy and the
/// agent reaches the hub's broker through another, so either link can be cut. The hub restarts
/// on the ports of its first start, so devices find it again as they would at a venue.
/// </summary>
public sealed class ChaosVenue : IAsyncDisposable
{
    public const string AgentId = "agent-chaos";
    public const string Esp32Id = "esp32-chaos";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly List<ProcessHost> _exited = [];
    private ProcessHost? _ledger;
    private ProcessHost? _hub;
    private ProcessHost? _agent;
    private ProcessHost? _esp32;
    private FaultProxy? _ledgerLink;
    private FaultProxy? _agentLink;
    private int _hubMqttPort;
    private string _hubHttpUrl = string.Empty;

    private ChaosVenue(string root)
    {
        Root = root;
        Directory.CreateDirectory(HubDirectory);
        Directory.CreateDirectory(AgentScannerFolder);
        Directory.CreateDirectory(PurchaseInbox);
        Directory.CreateDirectory(Esp32Inbox);
    }

    public string Root { get; }

    public ScanFeed AgentScanner { get; } = new();

    public HttpClient HubApi { get; private set; } = null!;

    public string LedgerUrl { get; private set; } = string.Empty;

    /// <summary>The ledger's API, reached directly and not through the hub's link.</summary>
    public HttpClient LedgerApi { get; private set; } = null!;

    public string Venue { get; private set; } = string.Empty;

    public string HubDirectory => Path.Combine(Root, "hub");

    public string LedgerDatabase => Path.Combine(Root, "ledger", "ledger.db");

    public string AgentDirectory => Path.Combine(Root, "agent");

    public string AgentScannerFolder => Path.Combine(Root, "agent");

    public string PurchaseInbox => Path.Combine(Root, "agent", "purchases");

    public string Esp32Inbox => Path.Combine(Root, "esp32", "scanner");

    public string Esp32Flash => Path.Combine(Root, "esp32", Esp32Id + ".flash");

    public FaultProxy LedgerLink => _ledgerLink ?? throw new InvalidOperationException("The venue is not started.");

    public FaultProxy AgentLink => _agentLink ?? throw new InvalidOperationException("The venue is not started.");

    public int HubMqttPort => _hubMqttPort;

    public int HubKills { get; private set; }

    public int AgentKills { get; private set; }

    /// <summary>Starts ledger, ledger link, hub and agent link; devices start separately.</summary>
    public static async Task<ChaosVenue> StartAsync(string root)
    {
        var venue = new ChaosVenue(root);
        await venue.StartLedgerAsync();
        venue._ledgerLink = new FaultProxy("hub-ledger", Loopback(new Uri(venue.LedgerUrl).Port), NullLogger.Instance);
        await venue.StartHubAsync(fixedPorts: false);
        venue._agentLink = new FaultProxy("agent-hub", Loopback(venue._hubMqttPort), NullLogger.Instance);
        return venue;
    }

    /// <summary>Ends the hub with SIGKILL, like a power cut.</summary>
    public async Task KillHubAsync()
    {
        await KillAsync(_hub);
        HubKills++;
    }

    /// <summary>Starts the hub again on the ports and data of its first start.</summary>
    public Task RestartHubAsync() => StartHubAsync(fixedPorts: true);

    public async Task StartAgentAsync()
    {
        // The agent reads the hub's endpoints with the broker port replaced by its link's port.
        JsonNode endpoints = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(HubDirectory, "hub.endpoints.json")))!;
        endpoints["mqttPort"] = AgentLink.Port;
        string agentEndpoints = Path.Combine(AgentDirectory, "hub-via-link.json");
        await File.WriteAllTextAsync(agentEndpoints, endpoints.ToJsonString());

        AgentScanner.ForgetConnection();
        _agent = ProcessHost.Start(
            "edge-agent/EdgeIoT.EdgeAgent",
            [
                "run",
                $"--Agent:DeviceId={AgentId}",
                $"--Agent:DataDirectory={AgentDirectory}",
                $"--Agent:HubEndpointsFile={agentEndpoints}",
                $"--Agent:EnrollUrl={_hubHttpUrl}",
                "--Agent:Hardware:Mode=simulated",
                "--Agent:Hardware:Scanner=tcp",
                $"--Agent:Hardware:ScannerTcp=127.0.0.1:{AgentScanner.Port.ToString(CultureInfo.InvariantCulture)}",
                $"--Agent:PurchaseInbox={PurchaseInbox}",
                "--Agent:TrustLocalClock=true",
                "--Agent:PassageTimeout=00:10:00",
                "--Agent:OnlineCheckTimeout=00:00:02",
                "--Agent:Mqtt:ReconnectMaxDelay=00:00:01",
                "--Logging:LogLevel:Default=Warning",
                "--Logging:LogLevel:EdgeIoT.EdgeAgent.Decisions=Warning",
            ],
            EnrollmentEnvironment());
        await AgentScanner.WaitConnectedAsync(StartTimeout);
        AgentSeqAtStart = EdgeRecords.AgentLastSeq(Path.Combine(AgentDirectory, "outbox.db"));
        AgentStarts++;
    }

    public int AgentStarts { get; private set; }

    /// <summary>The agent's last event sequence number when its current process connected its scanner.</summary>
    public long AgentSeqAtStart { get; private set; }

    /// <summary>Ends the agent with SIGKILL and starts it again on the same outbox.</summary>
    public async Task KillAndRestartAgentAsync()
    {
        await KillAgentAsync();
        AgentKills++;
        await StartAgentAsync();
    }

    public Task KillAgentAsync() => KillAsync(_agent);

    public void StartEsp32()
    {
        _esp32 = ProcessHost.Start(
            "simulators/EdgeIoT.VirtualDevice",
            [
                "--device-id", Esp32Id,
                "--hub-endpoints", Path.Combine(HubDirectory, "hub.endpoints.json"),
                "--enroll-url", _hubHttpUrl,
                "--flash-file", Esp32Flash,
                "--inbox", Esp32Inbox,
            ],
            EnrollmentEnvironment());
    }

    public Task KillEsp32Async() => KillAsync(_esp32);

    /// <summary>The hub's operator login, rewritten at every hub start.</summary>
    public (string Username, string Password) OperatorCredentials()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(HubDirectory, "operator.json")));
        return (document.RootElement.GetProperty("username").GetString()!,
            document.RootElement.GetProperty("password").GetString()!);
    }

    /// <summary>The last output of every process, current and killed, for a failure message.</summary>
    public string ProcessOutput()
    {
        IEnumerable<ProcessHost> all = _exited.Concat(new[] { _ledger, _hub, _agent, _esp32 }.OfType<ProcessHost>());
        return string.Join(
            Environment.NewLine,
            all.Select(process => $"--- {process.Name} (exited: {process.HasExited}) ---{Environment.NewLine}{process.RecentOutput()}"));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ProcessHost process in new[] { _esp32, _agent, _hub, _ledger }.OfType<ProcessHost>())
        {
            await process.DisposeAsync();
        }

        if (_agentLink is not null)
        {
            await _agentLink.DisposeAsync();
        }

        if (_ledgerLink is not null)
        {
            await _ledgerLink.DisposeAsync();
        }

        await AgentScanner.DisposeAsync();
        HubApi?.Dispose();
        LedgerApi?.Dispose();
    }

    private static IPEndPoint Loopback(int port) => new(IPAddress.Loopback, port);

    private async Task KillAsync(ProcessHost? process)
    {
        if (process is not null)
        {
            await process.KillAsync();
            _exited.Add(process);
        }
    }

    private async Task StartLedgerAsync()
    {
        string directory = Path.GetDirectoryName(LedgerDatabase)!;
        Directory.CreateDirectory(directory);
        _ledger = ProcessHost.Start(
            "hub/EdgeIoT.Ledger",
            ["--urls", "http://127.0.0.1:0", "--sqlite-path", LedgerDatabase, "--Logging:LogLevel:Default=Warning"]);
        string endpoints = Path.Combine(directory, "ledger.endpoints.json");
        await _ledger.WaitForFileAsync(endpoints, StartTimeout);
        using JsonDocument document = JsonDocument.Parse(await File.ReadAllTextAsync(endpoints));
        LedgerUrl = document.RootElement.GetProperty("url").GetString()!;
        LedgerApi = new HttpClient { BaseAddress = new Uri(LedgerUrl), Timeout = TimeSpan.FromSeconds(30) };
    }

    private Dictionary<string, string> EnrollmentEnvironment() =>
        new() { [OperatorAuth.EnvironmentVariable] = OperatorAuth.ReadToken(HubDirectory) };

    private async Task StartHubAsync(bool fixedPorts)
    {
        string endpoints = Path.Combine(HubDirectory, "hub.endpoints.json");
        File.Delete(endpoints);
        string mqttPort = fixedPorts ? _hubMqttPort.ToString(CultureInfo.InvariantCulture) : "0";
        string httpUrl = fixedPorts ? _hubHttpUrl : "http://127.0.0.1:0";
        _hub = ProcessHost.Start(
            "hub/EdgeIoT.Hub",
            [
                "run", "--data", HubDirectory,
                $"--Hub:Mqtt:Port={mqttPort}",
                $"--Hub:Http:Urls={httpUrl}",
                $"--Hub:Ledger:BaseUrl=http://127.0.0.1:{LedgerLink.Port.ToString(CultureInfo.InvariantCulture)}",
                "--Hub:Ledger:MaxRetryDelay=00:00:01",
                "--Hub:Tokens:LifetimeSeconds=300",
                $"--Hub:PolicyFile={Path.Combine(RepositoryPaths.Root, "simulators", "data", "policies", "venue-default.json")}",
                "--Logging:LogLevel:Default=Warning",
            ]);
        await _hub.WaitForFileAsync(endpoints, StartTimeout);
        using JsonDocument document = JsonDocument.Parse(await File.ReadAllTextAsync(endpoints));
        _hubMqttPort = document.RootElement.GetProperty("mqttPort").GetInt32();
        _hubHttpUrl = document.RootElement.GetProperty("httpUrl").GetString()!;
        Venue = document.RootElement.GetProperty("venue").GetString()!;
        HubApi ??= OperatorAuth.Client(new Uri(_hubHttpUrl), OperatorAuth.ReadToken(HubDirectory), TimeSpan.FromSeconds(30));
    }
}
