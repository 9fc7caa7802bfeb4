using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>
/// A hub process on OS-chosen loopback ports with a temporary data folder, plus the helpers
/// the ESP32 and technician tests share: guest import, check-in, device status and the
/// technician CLI. Disposing kills every process it started and deletes the folder.
/// </summary>
public sealed class VenueProcesses : IAsyncDisposable
{
    public const string TechnicianProject = "tools/EdgeIoT.Technician";
    public const string WifiPassword = "venue-wifi-passphrase";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly List<ProcessHost> _processes = [];

    private VenueProcesses(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public HttpClient HubApi { get; private set; } = null!;

    /// <summary>The hub's operator token, which the technician CLI gets in its environment.</summary>
    public string OperatorToken { get; private set; } = string.Empty;

    public int MqttPort { get; private set; }

    public string Venue { get; private set; } = null!;

    public IReadOnlyList<ProcessHost> Processes => _processes;

    public static async Task<VenueProcesses> StartHubAsync()
    {
        var venue = new VenueProcesses(Path.Combine(Path.GetTempPath(), "edgeiot-venue-" + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(venue.Root);
        string data = Path.Combine(venue.Root, "hub");
        ProcessHost hub = venue.Start(
            "hub/EdgeIoT.Hub",
            [
                "run", "--data", data,
                "--Hub:Mqtt:Port=0",
                "--Hub:Http:Urls=http://127.0.0.1:0",
                "--Hub:Ledger:BaseUrl=http://127.0.0.1:9",
                $"--Hub:PolicyFile={Path.Combine(RepositoryPaths.Root, "simulators", "data", "policies", "venue-default.json")}",
            ]);
        string endpoints = Path.Combine(data, "hub.endpoints.json");
        await hub.WaitForFileAsync(endpoints, StartTimeout);
        using JsonDocument document = JsonDocument.Parse(await File.ReadAllTextAsync(endpoints));
        venue.OperatorToken = OperatorAuth.ReadToken(data);
        venue.HubApi = OperatorAuth.Client(new Uri(document.RootElement.GetProperty("httpUrl").GetString()!), venue.OperatorToken);
        venue.MqttPort = document.RootElement.GetProperty("mqttPort").GetInt32();
        venue.Venue = document.RootElement.GetProperty("venue").GetString()!;
        return venue;
    }

    /// <summary>Imports paid standard guests with order codes G-0001 to G-{count}.</summary>
    public async Task ImportGuestsAsync(int count)
    {
        var csv = new StringBuilder("Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status,Seat,Zone\r\n");
        for (int i = 1; i <= count; i++)
        {
            csv.Append($"G-{i:D4},Guest {i},guest{i}@example.test,General Admission,standard,paid,,0\r\n");
        }

        using var content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");
        using HttpResponseMessage response = await HubApi.PostAsync("/api/entitlements/import", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Returns the QR text of a fresh token for one order.</summary>
    public async Task<string> CheckInAsync(string orderCode)
    {
        using HttpResponseMessage response = await HubApi.PostAsJsonAsync("/api/checkin", new { orderCode }, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Returns the device's state in GET /api/status, or null when the hub does not list it.</summary>
    public async Task<string?> DeviceStateAsync(string deviceId)
    {
        using JsonDocument status = JsonDocument.Parse(await HubApi.GetStringAsync("/api/status"));
        foreach (JsonElement device in status.RootElement.GetProperty("devices").EnumerateArray())
        {
            if (device.GetProperty("deviceId").GetString() == deviceId)
            {
                return device.GetProperty("state").GetString();
            }
        }

        return null;
    }

    /// <summary>Polls GET /api/status until the device has the state; the hub has no push for it.</summary>
    public async Task WaitForDeviceStateAsync(string deviceId, string state, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        string? last = null;
        while ((last = await DeviceStateAsync(deviceId)) != state)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{deviceId} did not reach state '{state}' within {timeout.TotalSeconds} s; last state '{last}'.");
            }
        }
    }

    public (string Username, string Password) OperatorCredentials()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "hub", "operator.json")));
        return (document.RootElement.GetProperty("username").GetString()!,
            document.RootElement.GetProperty("password").GetString()!);
    }

    /// <summary>Runs the technician CLI with the Wi-Fi password and the operator token in its environment, as a technician would.</summary>
    public Task<CliRun> TechnicianAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        CliRun.RunAsync(
            TechnicianProject, arguments, TimeSpan.FromSeconds(90),
            environment ?? new Dictionary<string, string>
            {
                ["EDGEIOT_WIFI_PASSWORD"] = WifiPassword,
                [OperatorAuth.EnvironmentVariable] = OperatorToken,
            });

    /// <summary>Enrolls a device with the technician CLI and returns the bundle path.</summary>
    public async Task<string> EnrollAsync(string deviceId, int? brokerPort = null)
    {
        string bundle = Path.Combine(Root, deviceId + ".bundle.json");
        var arguments = new List<string>
        {
            "enroll", "--hub", HubApi.BaseAddress!.ToString(), "--device-id", deviceId, "--wifi-ssid", "venue-staff",
            "--broker-host", "127.0.0.1", "--out", bundle,
        };
        if (brokerPort is int port)
        {
            arguments.AddRange(["--broker-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        CliRun run = await TechnicianAsync(arguments);
        Assert.True(run.ExitCode == 0, run.ToString());
        return bundle;
    }

    /// <summary>Starts a virtual ESP32 process from a technician bundle, with a scanner inbox folder.</summary>
    public ProcessHost StartVirtualEsp32(string bundle, string deviceId, out string inbox)
    {
        inbox = Path.Combine(Root, deviceId, "scanner");
        Directory.CreateDirectory(inbox);
        return Start(
            "simulators/EdgeIoT.VirtualDevice",
            ["--bundle", bundle, "--flash-file", Path.Combine(Root, deviceId, deviceId + ".flash"), "--inbox", inbox]);
    }

    public ProcessHost Start(string project, string[] arguments)
    {
        ProcessHost process = ProcessHost.Start(project, arguments);
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ProcessHost process in _processes)
        {
            await process.DisposeAsync();
        }

        HubApi?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
