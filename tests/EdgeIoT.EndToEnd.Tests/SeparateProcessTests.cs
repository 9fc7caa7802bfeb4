using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Simulator.Crowd;
using Xunit.Abstractions;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>
/// The ledger, the hub, an edge agent and a virtual ESP32 each run as their own OS process
/// and talk over loopback TCP, as they would at a venue.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class SeparateProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DecisionTimeout = TimeSpan.FromSeconds(20);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "edgeiot-e2e-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<ProcessHost> _processes = [];
    private readonly Dictionary<string, string> _environment = [];

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (ProcessHost process in _processes)
        {
            // xunit shows this output when the test fails, so each process's last words are at hand.
            output.WriteLine($"--- {process.Name} (exited: {process.HasExited}) ---");
            output.WriteLine(process.RecentOutput());
            await process.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task ValidAndForgedQr_BothDeviceKinds_AdmitAndDeny()
    {
        string ledgerUrl = await StartLedgerAsync();
        (JsonElement hub, HttpClient api) = await StartHubAsync(ledgerUrl);
        using HttpClient hubApi = api;
        int mqttPort = hub.GetProperty("mqttPort").GetInt32();
        string venue = hub.GetProperty("venue").GetString()!;
        await ImportGuestsAsync(hubApi);

        string agentInbox = Path.Combine(_root, "agent", "camera");
        StartAgent(hubApi.BaseAddress!, agentInbox);
        StartVirtualEsp32(hubApi.BaseAddress!);
        string esp32Inbox = Path.Combine(_root, "esp32", "scanner");
        (string username, string password) = ReadOperatorCredentials();
        await using DecisionWatcher watcher = await DecisionWatcher.ConnectAsync(mqttPort, venue, username, password);
        await watcher.WaitOnlineAsync("agent-e2e", StartTimeout);
        await watcher.WaitOnlineAsync("esp32-e2e", StartTimeout);
        await watcher.WaitForTimeBeaconsAsync(2, StartTimeout);

        string validForAgent = await CheckInAsync(hubApi, "E2E-0001");
        await PresentToCameraAsync(agentInbox, validForAgent, "valid");
        EdgeEvent agentAdmit = await watcher.NextDecisionAsync("agent-e2e", DecisionTimeout);
        await PresentToCameraAsync(agentInbox, Forgery.UpgradeToStaff(validForAgent), "forged");
        EdgeEvent agentDeny = await watcher.NextDecisionAsync("agent-e2e", DecisionTimeout);

        string validForEsp32 = await CheckInAsync(hubApi, "E2E-0002");
        EdgeEvent esp32Admit = await ScanAtEsp32Async(watcher, esp32Inbox, validForEsp32, "valid");
        EdgeEvent esp32Deny = await ScanAtEsp32Async(watcher, esp32Inbox, Forgery.UpgradeToStaff(validForEsp32), "forged");

        // Outcome and reason together, so a failure shows why a gate decided otherwise.
        Assert.Equal("admit/none", Verdict(agentAdmit));
        Assert.Equal("deny/bad_signature", Verdict(agentDeny));
        Assert.Equal("admit/none", Verdict(esp32Admit));
        Assert.Equal("deny/bad_signature", Verdict(esp32Deny));
        Assert.Equal("agent", agentAdmit.DeviceClass);
        Assert.Equal("firmware", esp32Admit.DeviceClass);
    }

    [MosquittoClientsFact]
    public async Task MosquittoSub_OperatorAccount_ShowsReadableJson()
    {
        (JsonElement hub, HttpClient api) = await StartHubAsync("http://127.0.0.1:9");
        using HttpClient hubApi = api;
        await ImportGuestsAsync(hubApi);
        string agentInbox = Path.Combine(_root, "agent", "camera");
        StartAgent(hubApi.BaseAddress!, agentInbox);
        (string username, string password) = ReadOperatorCredentials();
        int mqttPort = hub.GetProperty("mqttPort").GetInt32();
        string venue = hub.GetProperty("venue").GetString()!;
        await using DecisionWatcher watcher = await DecisionWatcher.ConnectAsync(mqttPort, venue, username, password);
        await watcher.WaitOnlineAsync("agent-e2e", StartTimeout);
        await watcher.WaitForTimeBeaconsAsync(1, StartTimeout);

        var subscriber = new System.Diagnostics.ProcessStartInfo(MosquittoClientsFactAttribute.MosquittoSubPath ?? "mosquitto_sub")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[]
        {
            "-h", "127.0.0.1", "-p", mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-u", username, "-P", password, "-V", "mqttv5", "-t", $"edgeiot/v1/{venue}/devices/#", "-v", "-W", "15",
        })
        {
            subscriber.ArgumentList.Add(argument);
        }

        using var mosquittoSub = System.Diagnostics.Process.Start(subscriber)!;
        string valid = await CheckInAsync(hubApi, "E2E-0001");
        await PresentToCameraAsync(agentInbox, valid, "valid");
        await watcher.NextDecisionAsync("agent-e2e", DecisionTimeout);
        await watcher.WaitForTimeBeaconsAsync(1, StartTimeout);
        mosquittoSub.Kill();
        string[] lines = (await mosquittoSub.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        string decision = Assert.Single(lines, line => line.Contains("/events/decision ", StringComparison.Ordinal));
        string scan = Assert.Single(lines, line => line.Contains("/scans ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("/agent-e2e/status ", StringComparison.Ordinal));
        using JsonDocument decisionJson = JsonDocument.Parse(decision[(decision.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        Assert.Equal("admit", decisionJson.RootElement.GetProperty("outcome").GetString());
        using JsonDocument scanJson = JsonDocument.Parse(scan[(scan.IndexOf(' ', StringComparison.Ordinal) + 1)..]);
        Assert.Equal("agent-e2e", scanJson.RootElement.GetProperty("deviceId").GetString());
        Assert.DoesNotContain(lines, line => line.Contains(valid, StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task ProcessLogs_TraceLevel_ContainNoSecrets()
    {
        // Trace is what a technician turns on at 2 a.m.; a secret that leaks there leaks into
        // support tickets and log shippers.
        _environment["Logging__LogLevel__Default"] = "Trace";
        _environment["Logging__LogLevel__Microsoft"] = "Trace";
        string ledgerUrl = await StartLedgerAsync();
        (JsonElement hub, HttpClient api) = await StartHubAsync(ledgerUrl);
        using HttpClient hubApi = api;
        await ImportGuestsAsync(hubApi);
        string agentInbox = Path.Combine(_root, "agent", "camera");
        StartAgent(hubApi.BaseAddress!, agentInbox);
        StartVirtualEsp32(hubApi.BaseAddress!);
        (string username, string password) = ReadOperatorCredentials();
        await using DecisionWatcher watcher = await DecisionWatcher.ConnectAsync(
            hub.GetProperty("mqttPort").GetInt32(), hub.GetProperty("venue").GetString()!, username, password);
        await watcher.WaitOnlineAsync("agent-e2e", StartTimeout);
        await watcher.WaitOnlineAsync("esp32-e2e", StartTimeout);
        await watcher.WaitForTimeBeaconsAsync(2, StartTimeout);

        string agentToken = await CheckInAsync(hubApi, "E2E-0001");
        await PresentToCameraAsync(agentInbox, agentToken, "valid");
        await watcher.NextDecisionAsync("agent-e2e", DecisionTimeout);
        string esp32Token = await CheckInAsync(hubApi, "E2E-0002");
        await ScanAtEsp32Async(watcher, Path.Combine(_root, "esp32", "scanner"), esp32Token, "valid");
        (string otp, string walkInToken) = await WalkInAsync(hubApi, "+4915550001234");

        var secrets = new Dictionary<string, Func<string, bool>>
        {
            ["agent token"] = Contains(agentToken),
            ["ESP32 token"] = Contains(esp32Token),
            ["walk-in token"] = Contains(walkInToken),
            ["operator password"] = Contains(password),
            ["agent MQTT password"] = Contains(ReadJsonString(Path.Combine(_root, "agent", "credentials.json"), "mqttPassword")),

            // Six digits also turn up in timestamps and ports; a leak names them as a code.
            ["one-time code"] = line => System.Text.RegularExpressions.Regex.IsMatch(
                line, $@"(?i)\bcode\b.*\b{otp}\b"),
        };
        foreach ((string usage, byte[] key) in ReadHubPrivateKeys())
        {
            secrets[$"{usage} private key (base64)"] = Contains(Convert.ToBase64String(key));
            secrets[$"{usage} private key (hex)"] = Contains(Convert.ToHexString(key));
        }

        foreach (ProcessHost process in _processes)
        {
            Assert.NotEmpty(process.Transcript);
            foreach ((string name, Func<string, bool> leaks) in secrets)
            {
                string? leak = process.Transcript.FirstOrDefault(leaks);
                Assert.True(leak is null, $"{process.Name} logged the {name}: {leak}");
            }
        }
    }

    private static Func<string, bool> Contains(string secret) =>
        line => line.Contains(secret, StringComparison.OrdinalIgnoreCase);

    private static string Verdict(EdgeEvent decision) => $"{decision.Outcome}/{decision.Reason}";

    private async Task<string> StartLedgerAsync()
    {
        string directory = Path.Combine(_root, "ledger");
        Directory.CreateDirectory(directory);
        ProcessHost ledger = Start(
            "hub/EdgeIoT.Ledger",
            ["--urls", "http://127.0.0.1:0", "--sqlite-path", Path.Combine(directory, "ledger.db")]);
        string endpoints = Path.Combine(directory, "ledger.endpoints.json");
        await ledger.WaitForFileAsync(endpoints, StartTimeout);
        using JsonDocument document = JsonDocument.Parse(await File.ReadAllTextAsync(endpoints));
        return document.RootElement.GetProperty("url").GetString()!;
    }

    private async Task<(JsonElement Endpoints, HttpClient Api)> StartHubAsync(string ledgerUrl)
    {
        string directory = Path.Combine(_root, "hub");
        ProcessHost hub = Start(
            "hub/EdgeIoT.Hub",
            [
                "run", "--data", directory,
                "--Hub:Mqtt:Port=0",
                "--Hub:Http:Urls=http://127.0.0.1:0",
                $"--Hub:Ledger:BaseUrl={ledgerUrl}",
                $"--Hub:PolicyFile={Path.Combine(RepositoryPaths.Root, "simulators", "data", "policies", "venue-default.json")}",
            ]);
        string endpoints = Path.Combine(directory, "hub.endpoints.json");
        await hub.WaitForFileAsync(endpoints, StartTimeout);
        JsonElement document = JsonDocument.Parse(await File.ReadAllTextAsync(endpoints)).RootElement.Clone();
        var api = new HttpClient { BaseAddress = new Uri(document.GetProperty("httpUrl").GetString()!) };
        return (document, api);
    }

    private static async Task ImportGuestsAsync(HttpClient hubApi)
    {
        const string Csv =
            "Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status,Seat,Zone\r\n" +
            "E2E-0001,Kaven Solmar,kaven@example.test,General Admission,standard,paid,,1\r\n" +
            "E2E-0002,Ronia Tesdun,ronia@example.test,General Admission,member,paid,,1\r\n";
        using var content = new StringContent(Csv, Encoding.UTF8, "text/csv");
        using HttpResponseMessage response = await hubApi.PostAsync("/api/entitlements/import", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private void StartAgent(Uri hubUrl, string cameraInbox)
    {
        string directory = Path.Combine(_root, "agent");
        Directory.CreateDirectory(cameraInbox);
        Start(
            "edge-agent/EdgeIoT.EdgeAgent",
            [
                "run",
                "--Agent:DeviceId=agent-e2e",
                $"--Agent:DataDirectory={directory}",
                $"--Agent:HubEndpointsFile={Path.Combine(_root, "hub", "hub.endpoints.json")}",
                $"--Agent:EnrollUrl={hubUrl}",
                "--Agent:Hardware:Mode=simulated",
                "--Agent:Hardware:Scanner=camera-inbox",
                $"--Agent:Hardware:CameraInbox={cameraInbox}",
            ]);
    }

    private ProcessHost StartVirtualEsp32(Uri hubUrl)
    {
        Directory.CreateDirectory(Path.Combine(_root, "esp32", "scanner"));
        return Start(
            "simulators/EdgeIoT.VirtualDevice",
            [
                "--device-id", "esp32-e2e",
                "--hub-endpoints", Path.Combine(_root, "hub", "hub.endpoints.json"),
                "--enroll-url", hubUrl.ToString(),
                "--flash-file", Path.Combine(_root, "esp32", "esp32-e2e.flash"),
                "--inbox", Path.Combine(_root, "esp32", "scanner"),
            ]);
    }

    private (string Username, string Password) ReadOperatorCredentials()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "hub", "operator.json")));
        return (document.RootElement.GetProperty("username").GetString()!,
            document.RootElement.GetProperty("password").GetString()!);
    }

    /// <summary>
    /// Requests a walk-in one-time code, reads it from the hub's SMS outbox (the phone), and
    /// exchanges it for a token with a spend limit.
    /// </summary>
    private async Task<(string Code, string Token)> WalkInAsync(HttpClient hubApi, string phone)
    {
        using HttpResponseMessage requested = await hubApi.PostAsJsonAsync("/api/walkins/otp", new { phone }, Json);
        Assert.True(requested.IsSuccessStatusCode, await requested.Content.ReadAsStringAsync());
        string outbox = Path.Combine(_root, "hub", "sms-outbox.jsonl");
        string code = File.ReadLines(outbox)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Last(message => message.GetProperty("phone").GetString() == phone)
            .GetProperty("code").GetString()!;
        using HttpResponseMessage verified = await hubApi.PostAsJsonAsync(
            "/api/walkins/verify", new { phone, code, spendLimitMinor = 2500 }, Json);
        Assert.True(verified.IsSuccessStatusCode, await verified.Content.ReadAsStringAsync());
        using JsonDocument document = JsonDocument.Parse(await verified.Content.ReadAsStringAsync());
        return (code, document.RootElement.GetProperty("token").GetString()!);
    }

    private static string ReadJsonString(string path, string property)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty(property).GetString()
            ?? throw new InvalidOperationException($"{path} has no {property}.");
    }

    private List<(string Usage, byte[] Key)> ReadHubPrivateKeys()
    {
        var keys = new List<(string, byte[])>();
        string database = Path.Combine(_root, "hub", "hub.db");
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT usage, private_key FROM keys";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add((reader.GetString(0), (byte[])reader.GetValue(1)));
        }

        Assert.NotEmpty(keys);
        return keys;
    }

    private static async Task<string> CheckInAsync(HttpClient hubApi, string orderCode)
    {
        using HttpResponseMessage response = await hubApi.PostAsJsonAsync("/api/checkin", new { orderCode }, Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task PresentToCameraAsync(string inbox, string qrText, string name)
    {
        // Written under another name first, so the camera never picks up half a file.
        string temporary = Path.Combine(inbox, name + ".tmp");
        await File.WriteAllBytesAsync(temporary, QrImages.RenderPng(qrText));
        File.Move(temporary, Path.Combine(inbox, name + ".png"));
    }

    /// <summary>
    /// Scans a code at the ESP32 as a guest would: the turnstile ignores scans while its arm is
    /// still open for the previous guest, so the guest scans again until the gate decides.
    /// </summary>
    private static async Task<EdgeEvent> ScanAtEsp32Async(DecisionWatcher watcher, string inbox, string code, string name)
    {
        for (int attempt = 1; ; attempt++)
        {
            await SendScanLineAsync(inbox, code, $"{name}-{attempt}");
            try
            {
                return await watcher.NextDecisionAsync("esp32-e2e", TimeSpan.FromSeconds(2));
            }
            catch (TimeoutException) when (attempt < 10)
            {
            }
        }
    }

    /// <summary>Hands a line to the ESP32's scanner inbox, as its serial QR module would send it.</summary>
    private static async Task SendScanLineAsync(string inbox, string line, string name)
    {
        string temporary = Path.Combine(inbox, name + ".tmp");
        await File.WriteAllTextAsync(temporary, line + "\r\n");
        File.Move(temporary, Path.Combine(inbox, name + ".txt"));
    }

    private ProcessHost Start(string project, string[] arguments)
    {
        ProcessHost process = ProcessHost.Start(project, arguments, _environment);
        _processes.Add(process);
        return process;
    }
}
