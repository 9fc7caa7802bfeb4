using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.EndToEnd.Tests;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeIoT.Hub.Integration.Tests;

/// <summary>
/// The hub started as its own process (dotnet EdgeIoT.Hub.dll run) on a data directory, with
/// OS-chosen loopback ports. Devices reach the MQTT broker at <see cref="MqttHost"/> and
/// <see cref="MqttPort"/>: the hub's embedded broker, or with <see cref="BrokerKind.External"/>
/// a Mosquitto process configured from the hub's <c>mosquitto-auth</c> output.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private const string HubProject = "hub/EdgeIoT.Hub";

    private readonly List<IMqttClient> _clients = [];
    private ProcessHost? _process;
    private MosquittoBroker? _mosquitto;
    private IReadOnlyDictionary<string, string>? _environment;

    private HubProcess(string dataDirectory, IReadOnlyList<string> settings, BrokerKind broker)
    {
        DataDirectory = dataDirectory;
        Settings = settings;
        Broker = broker;
    }

    public BrokerKind Broker { get; }

    /// <summary>Operating system id of the running hub process.</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("The hub process has not started.");

    public string DataDirectory { get; }

    /// <summary>Extra --Hub:Key=value arguments given at every start.</summary>
    public IReadOnlyList<string> Settings { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "hub.db");

    public string MqttHost { get; private set; } = "127.0.0.1";

    public int MqttPort { get; private set; }

    public string Venue { get; private set; } = string.Empty;

    public Uri HttpUrl { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string OperatorPassword { get; private set; } = string.Empty;

    /// <summary>The hub's operator token from its data directory, sent as the bearer token by <see cref="Http"/>.</summary>
    public string OperatorToken { get; private set; } = string.Empty;

    /// <summary>Keeps the data directory on disposal, for a test that inspects it afterwards.</summary>
    public bool KeepData { get; set; }

    /// <summary>Starts a hub on a new temporary data directory, or on <paramref name="dataDirectory"/>.</summary>
    public static async Task<HubProcess> StartAsync(string? dataDirectory = null, params string[] settings)
    {
        string directory = dataDirectory ?? NewDataDirectory();
        var hub = new HubProcess(directory, settings, BrokerKind.Embedded);
        await hub.StartProcessAsync();
        return hub;
    }

    /// <summary>Starts a hub on <paramref name="dataDirectory"/> with extra environment variables, at this and every restart.</summary>
    public static async Task<HubProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var hub = new HubProcess(dataDirectory, [], BrokerKind.Embedded) { _environment = environment };
        await hub.StartProcessAsync();
        return hub;
    }

    /// <summary>
    /// Starts a hub on a new temporary data directory with the given broker. For
    /// <see cref="BrokerKind.External"/> it runs <c>hub mosquitto-auth</c> first, starts Mosquitto on
    /// the files it wrote, and runs the hub in External mode so enrollments rewrite them.
    /// </summary>
    public static async Task<HubProcess> StartAsync(BrokerKind broker)
    {
        string directory = NewDataDirectory();
        if (broker == BrokerKind.Embedded)
        {
            return await StartAsync(directory);
        }

        string mosquittoDirectory = Path.Combine(directory, "mosquitto");
        Directory.CreateDirectory(mosquittoDirectory);
        string passwordFile = Path.Combine(mosquittoDirectory, "passwords");
        string aclFile = Path.Combine(mosquittoDirectory, "acl");
        string hubPassword = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        string passwordSetting = "--Hub:Mqtt:External:Password=" + hubPassword;
        ToolResult written = await ToolProcess.HubCliAsync(
            "mosquitto-auth", "--data", directory, "--password-file", passwordFile, "--acl-file", aclFile, passwordSetting);
        if (written.ExitCode != 0)
        {
            throw new InvalidOperationException($"hub mosquitto-auth failed: {written}");
        }

        MosquittoBroker mosquitto = await MosquittoBroker.StartAsync(mosquittoDirectory, passwordFile, aclFile);
        string[] settings =
        [
            "--Hub:Mqtt:Mode=External",
            "--Hub:Mqtt:External:Port=" + mosquitto.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            passwordSetting,
            "--Hub:Mqtt:External:PasswordFile=" + passwordFile,
            "--Hub:Mqtt:External:AclFile=" + aclFile,
            "--Hub:Mqtt:External:PidFile=" + mosquitto.PidFile,
        ];
        var hub = new HubProcess(directory, settings, BrokerKind.External) { _mosquitto = mosquitto };
        try
        {
            await hub.StartProcessAsync();
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }

        return hub;
    }

    public static string NewDataDirectory()
    {
        string directory = Path.Combine(Path.GetTempPath(), "edgeiot-hub-process-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }

    /// <summary>Ends the hub process at once (SIGKILL), like a power cut.</summary>
    public async Task KillAsync()
    {
        DisposeClients();
        Http?.Dispose();
        if (_process is not null)
        {
            await _process.KillAsync();
            await _process.DisposeAsync();
            _process = null;
        }
    }

    /// <summary>Starts the hub again on the same data directory; ports change.</summary>
    public Task RestartAsync() => StartProcessAsync();

    public string RecentOutput() => _process?.RecentOutput() ?? string.Empty;

    /// <summary>Enrolls a device; with an external broker, returns once the broker accepts its login.</summary>
    public async Task<JsonElement> EnrollAsync(string deviceId, string deviceClass = "agent")
    {
        HttpResponseMessage response = await Http.PostAsJsonAsync("/api/devices", new { deviceId, deviceClass, zone = 0 });
        response.EnsureSuccessStatusCode();
        JsonElement enrolled = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (Broker == BrokerKind.External)
        {
            await WaitForLoginAsync(deviceId, enrolled.GetProperty("mqttPassword").GetString());
        }

        return enrolled;
    }

    /// <summary>Enrolls the device and connects an MQTTnet client with its credentials.</summary>
    public async Task<IMqttClient> ConnectDeviceAsync(string deviceId)
    {
        JsonElement enrolled = await EnrollAsync(deviceId);
        IMqttClient client = NewClient();
        using var cancellation = new CancellationTokenSource(Timeout);
        await client.ConnectAsync(ClientOptions(deviceId, deviceId, enrolled.GetProperty("mqttPassword").GetString()), cancellation.Token);
        return client;
    }

    public MqttClientOptions ClientOptions(string clientId, string? userName, string? password)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(MqttHost, MqttPort)
            .WithClientId(clientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithTimeout(Timeout);
        return userName is null ? builder.Build() : builder.WithCredentials(userName, password).Build();
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
        HttpResponseMessage response = await Http.PostAsync("/api/entitlements/import", content);
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (_mosquitto is not null)
        {
            await _mosquitto.DisposeAsync();
            _mosquitto = null;
        }

        if (!KeepData)
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
    }

    private async Task StartProcessAsync()
    {
        string endpointsFile = Path.Combine(DataDirectory, "hub.endpoints.json");
        File.Delete(endpointsFile);
        string[] arguments =
        [
            "run", "--data", DataDirectory,
            "--Hub:Mqtt:Port=0", "--Hub:Http:Urls=http://127.0.0.1:0",

            // Port 9 (discard) on loopback: nothing answers, so events stay queued unless a test sets a ledger.
            "--Hub:Ledger:BaseUrl=http://127.0.0.1:9",
            .. Settings,
        ];
        _process = ProcessHost.Start(HubProject, arguments, _environment);
        await _process.WaitForFileAsync(endpointsFile, StartTimeout);

        using JsonDocument endpoints = JsonDocument.Parse(await File.ReadAllBytesAsync(endpointsFile));
        MqttPort = endpoints.RootElement.GetProperty("mqttPort").GetInt32();
        Venue = endpoints.RootElement.GetProperty("venue").GetString()!;
        HttpUrl = new Uri(endpoints.RootElement.GetProperty("httpUrl").GetString()!);
        OperatorToken = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, "operator-token"))).Trim();
        Http = new HttpClient { BaseAddress = HttpUrl, Timeout = Timeout };
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", OperatorToken);
        using JsonDocument operatorFile = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(DataDirectory, "operator.json")));
        OperatorPassword = operatorFile.RootElement.GetProperty("password").GetString()!;
    }

    // Mosquitto reloads its password file a moment after the hub's SIGHUP, and the enrollment
    // does not wait for that, so the first logins of a new device may still be refused.
    private async Task WaitForLoginAsync(string deviceId, string? password)
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        using IMqttClient probe = new MqttClientFactory().CreateMqttClient();
        MqttClientOptions options = ClientOptions(deviceId + "-login-probe", deviceId, password);
        while (true)
        {
            MqttClientConnectResult result = await probe.ConnectAsync(options, cancellation.Token);
            if (result.ResultCode == MqttClientConnectResultCode.Success)
            {
                await probe.DisconnectAsync(cancellationToken: cancellation.Token);
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellation.Token);
        }
    }

    private void DisposeClients()
    {
        foreach (IMqttClient client in _clients)
        {
            client.Dispose();
        }

        _clients.Clear();
    }
}
