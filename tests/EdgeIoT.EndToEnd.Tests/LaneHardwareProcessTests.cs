using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Simulator.Crowd;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>
/// An edge agent process with the devices a lane has, each speaking its real bytes: a serial
/// QR scanner and a PN532 NFC reader on pseudo-terminals, an ESC/POS printer on loopback TCP,
/// and the simulated GPIO gate. It talks to a hub process that the test kills and restarts.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class LaneHardwareProcessTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string DeviceId = "lane-hw";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DecisionTimeout = TimeSpan.FromSeconds(20);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "edgeiot-lane-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<ProcessHost> _processes = [];
    private PseudoTerminal _qrScanner = null!;
    private Pn532Simulator _nfcReader = null!;
    private EscPosPrinterSimulator _printer = null!;
    private ProcessHost _hub = null!;
    private ProcessHost _agent = null!;
    private HttpClient _hubApi = null!;
    private int _mqttPort;
    private string _venue = null!;

    private string HubDirectory => Path.Combine(_root, "hub");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        _qrScanner = new PseudoTerminal();
        _nfcReader = new Pn532Simulator();
        _printer = new EscPosPrinterSimulator();
        await StartHubAsync(mqttPort: 0);
        await ImportGuestsAsync(6);
        StartAgent();
    }

    public async Task DisposeAsync()
    {
        foreach (ProcessHost process in _processes)
        {
            // xunit shows this output when the test fails.
            output.WriteLine($"--- {process.Name} (exited: {process.HasExited}) ---");
            output.WriteLine(process.RecentOutput());
            await process.DisposeAsync();
        }

        await _printer.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public void Dispose()
    {
        _hubApi?.Dispose();
        _qrScanner?.Dispose();
        _nfcReader?.Dispose();
    }

    [Fact]
    public async Task HubKilled_LaneDecidesAndDeliversOnce()
    {
        await using (DecisionWatcher watcher = await ConnectWatcherAsync())
        {
            await watcher.WaitOnlineAsync(DeviceId, StartTimeout);
            await watcher.WaitForTimeBeaconsAsync(1, StartTimeout);
            await WaitForLogAsync(_agent, "Scanner serial-scanner connected", 1);
            await _nfcReader.NextPollAsync().WaitAsync(StartTimeout);
            string[] tokens = await CheckInAsync(6);

            ScanQr(tokens[0]);
            EdgeEvent qrAdmit = await watcher.NextDecisionAsync(DeviceId, DecisionTimeout);
            await TapNfcAsync(tokens[1], 1);
            EdgeEvent nfcAdmit = await watcher.NextDecisionAsync(DeviceId, DecisionTimeout);
            ScanQr(Forgery.UpgradeToStaff(tokens[2]));
            EdgeEvent forgedDeny = await watcher.NextDecisionAsync(DeviceId, DecisionTimeout);

            Assert.Equal("admit/none/online", Verdict(qrAdmit));
            Assert.Equal("admit/none/online", Verdict(nfcAdmit));
            Assert.Equal("deny/bad_signature/local", Verdict(forgedDeny));

            await _hub.KillAsync();

            // The agent's log is what a technician reads on the lane while the hub is away.
            await UntilNextDecisionLogAsync(() => ScanQr(tokens[3]));
            await TapNfcAsync(tokens[4], 2);
            await UntilNextDecisionLogAsync(() => ScanQr(Forgery.UpgradeToStaff(tokens[5])));
            await WaitForLogAsync(_agent, "Decision admit (none, offline)", 2);
            await WaitForLogAsync(_agent, "Decision deny (bad_signature, local)", 2);
        }

        await StartHubAsync(_mqttPort);
        IReadOnlyList<EdgeEvent> stored = await WaitForStoredDecisionsAsync(6);
        await WaitForOutboxDrainedAsync();

        IReadOnlyList<EdgeEvent> all = ReadStoredEvents();
        long[] seqs = [.. all.Select(e => e.Seq).Order()];
        Assert.Equal(Enumerable.Range(1, seqs.Length).Select(i => (long)i), seqs);
        Assert.Equal(all.Count, all.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(
            ["admit/none/online", "admit/none/online", "deny/bad_signature/local",
             "admit/none/offline", "admit/none/offline", "deny/bad_signature/local"],
            stored.OrderBy(e => e.Seq).Select(Verdict));
        Assert.All(stored.Where(e => e.Mode == "offline"), e => Assert.False(string.IsNullOrEmpty(e.PolicyVersion)));
        Assert.Equal(6, await DashboardDecisionCountAsync());
    }

    [Fact]
    public async Task Wristband_BoundChipAdmitted_CopyDeniedUidMismatch()
    {
        byte[] boundUid = [0x04, 0xA2, 0x2B, 0x6A, 0x3C, 0x58, 0x80];
        byte[] copyUid = [0x04, 0x5E, 0x91, 0x0A, 0x77, 0x12, 0x80];
        await using DecisionWatcher watcher = await ConnectWatcherAsync();
        await watcher.WaitOnlineAsync(DeviceId, StartTimeout);
        await watcher.WaitForTimeBeaconsAsync(1, StartTimeout);
        await _nfcReader.NextPollAsync().WaitAsync(StartTimeout);
        byte[] tagData = await EncodeWristbandAsync("L-0001", "04A22B6A3C5880");

        await UntilNextDecisionLogAsync(() => _nfcReader.PlaceTag(SimulatedNtag.WithTagData(boundUid, tagData)));
        EdgeEvent admit = await watcher.NextDecisionAsync(DeviceId, DecisionTimeout);
        await UntilNextDecisionLogAsync(() => _nfcReader.PlaceTag(SimulatedNtag.WithTagData(copyUid, tagData)));
        EdgeEvent copy = await watcher.NextDecisionAsync(DeviceId, DecisionTimeout);
        _nfcReader.RemoveTag();

        Assert.Equal("admit/none/online", Verdict(admit));
        Assert.Equal("deny/uid_mismatch/local", Verdict(copy));
        Assert.Equal(1L, admit.EntitlementId);
    }

    [Fact]
    public async Task PrinterPaperOut_RaisesAndClearsDashboardAlarm()
    {
        await using DecisionWatcher watcher = await ConnectWatcherAsync();
        await watcher.WaitOnlineAsync(DeviceId, StartTimeout);

        _printer.PaperOut = true;
        JsonElement raised = await WaitForAlarmAsync("paper_out", present: true);
        _printer.PaperOut = false;
        _printer.CoverOpen = true;
        JsonElement cover = await WaitForAlarmAsync("cover_open", present: true);
        await WaitForAlarmAsync("paper_out", present: false);
        _printer.CoverOpen = false;
        await WaitForAlarmAsync("cover_open", present: false);

        Assert.Equal(DeviceId, raised.GetProperty("deviceId").GetString());
        Assert.StartsWith("paper out", raised.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("cover open", cover.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static string Verdict(EdgeEvent decision) => $"{decision.Outcome}/{decision.Reason}/{decision.Mode}";

    private void ScanQr(string token) => _qrScanner.Write(Encoding.UTF8.GetBytes(token + "\r\n"));

    /// <summary>Holds a wristband with the token in the reader's field until the reader has read it, then takes it away.</summary>
    private async Task TapNfcAsync(string token, int tap)
    {
        byte[] uid = [0x04, 0x5A, 0x1C, 0x22, 0x8B, 0x40, (byte)tap];
        await UntilNextDecisionLogAsync(() => _nfcReader.PlaceTag(SimulatedNtag.WithText(uid, token)));
        _nfcReader.RemoveTag();
    }

    /// <summary>Presents a credential and waits until the agent has logged one more decision.</summary>
    private async Task UntilNextDecisionLogAsync(Action present)
    {
        int before = CountDecisionLines();
        present();
        using var cancellation = new CancellationTokenSource(DecisionTimeout);
        while (CountDecisionLines() == before)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellation.Token);
        }
    }

    private int CountDecisionLines() =>
        _agent.Transcript.Count(line => line.TrimStart().StartsWith("Decision ", StringComparison.Ordinal));

    private static async Task WaitForLogAsync(ProcessHost process, string text, int count)
    {
        using var cancellation = new CancellationTokenSource(DecisionTimeout);
        while (process.Transcript.Count(line => line.Contains(text, StringComparison.Ordinal)) < count)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"{process.Name} did not log '{text}' {count} times within {DecisionTimeout.TotalSeconds} s:{Environment.NewLine}{process.RecentOutput()}");
            }
        }
    }

    private async Task StartHubAsync(int mqttPort)
    {
        string endpoints = Path.Combine(HubDirectory, "hub.endpoints.json");
        Directory.CreateDirectory(HubDirectory);
        File.Delete(endpoints);
        _hub = Start(
            "hub/EdgeIoT.Hub",
            [
                "run", "--data", HubDirectory,
                $"--Hub:Mqtt:Port={mqttPort.ToString(CultureInfo.InvariantCulture)}",
                "--Hub:Http:Urls=http://127.0.0.1:0",
                "--Hub:Ledger:BaseUrl=http://127.0.0.1:9",
                "--Hub:Tokens:LifetimeSeconds=300",
                $"--Hub:PolicyFile={Path.Combine(RepositoryPaths.Root, "simulators", "data", "policies", "venue-default.json")}",
            ]);
        await _hub.WaitForFileAsync(endpoints, StartTimeout);
        using JsonDocument document = JsonDocument.Parse(await File.ReadAllTextAsync(endpoints));
        _hubApi?.Dispose();
        _hubApi = OperatorAuth.Client(new Uri(document.RootElement.GetProperty("httpUrl").GetString()!), OperatorAuth.ReadToken(HubDirectory));
        _mqttPort = document.RootElement.GetProperty("mqttPort").GetInt32();
        _venue = document.RootElement.GetProperty("venue").GetString()!;
    }

    private void StartAgent()
    {
        _agent = Start(
            "edge-agent/EdgeIoT.EdgeAgent",
            [
                "run",
                $"--Agent:DeviceId={DeviceId}",
                $"--Agent:DataDirectory={Path.Combine(_root, "agent")}",
                $"--Agent:HubEndpointsFile={Path.Combine(HubDirectory, "hub.endpoints.json")}",
                $"--Agent:EnrollUrl={_hubApi.BaseAddress}",
                "--Agent:TelemetryInterval=00:00:01",
                "--Agent:Hardware:Mode=simulated",
                "--Agent:Hardware:Scanner=serial,nfc",
                $"--Agent:Hardware:SerialPort={_qrScanner.SlavePath}",
                $"--Agent:Hardware:NfcPort={_nfcReader.PortName}",
                "--Agent:Hardware:PrinterHost=127.0.0.1",
                $"--Agent:Hardware:PrinterPort={_printer.Port.ToString(CultureInfo.InvariantCulture)}",
                "--Agent:Hardware:PrinterStatusInterval=00:00:00.200",
            ],
            new Dictionary<string, string> { [OperatorAuth.EnvironmentVariable] = OperatorAuth.ReadToken(HubDirectory) });
    }

    private async Task<DecisionWatcher> ConnectWatcherAsync()
    {
        using JsonDocument document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(HubDirectory, "operator.json")));
        return await DecisionWatcher.ConnectAsync(
            _mqttPort, _venue,
            document.RootElement.GetProperty("username").GetString()!,
            document.RootElement.GetProperty("password").GetString()!);
    }

    private async Task ImportGuestsAsync(int count)
    {
        var csv = new StringBuilder("Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status,Seat,Zone\r\n");
        for (int i = 1; i <= count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"L-{i:D4},Guest {i},guest{i}@example.test,General Admission,standard,paid,,0\r\n");
        }

        using var content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");
        using HttpResponseMessage response = await _hubApi.PostAsync("/api/entitlements/import", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Asks the hub for a wristband credential as the encoding station does, and returns the tag data to write.</summary>
    private async Task<byte[]> EncodeWristbandAsync(string orderCode, string uid)
    {
        using HttpResponseMessage response = await _hubApi.PostAsJsonAsync("/api/wristbands", new { orderCode, uid });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return Convert.FromBase64String(document.RootElement.GetProperty("tagData").GetString()!);
    }

    private async Task<string[]> CheckInAsync(int count)
    {
        var tokens = new string[count];
        for (int i = 0; i < count; i++)
        {
            using HttpResponseMessage response = await _hubApi.PostAsJsonAsync(
                "/api/checkin", new { orderCode = $"L-{i + 1:D4}" }, Json);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            tokens[i] = document.RootElement.GetProperty("token").GetString()!;
        }

        return tokens;
    }

    /// <summary>Reads the agent's events from hub.db, the hub's own store, read-only.</summary>
    private List<EdgeEvent> ReadStoredEvents()
    {
        using var connection = new SqliteConnection(
            $"Data Source={Path.Combine(HubDirectory, "hub.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT json FROM events WHERE event_id LIKE $prefix";
        command.Parameters.AddWithValue("$prefix", DeviceId + ":%");
        using SqliteDataReader reader = command.ExecuteReader();
        var events = new List<EdgeEvent>();
        while (reader.Read())
        {
            events.Add(ProtocolJson.Deserialize<EdgeEvent>(Encoding.UTF8.GetBytes(reader.GetString(0))));
        }

        return events;
    }

    private async Task<IReadOnlyList<EdgeEvent>> WaitForStoredDecisionsAsync(int count)
    {
        using var cancellation = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            List<EdgeEvent> decisions = [.. ReadStoredEvents().Where(e => e.Kind == EventKinds.Decision)];
            if (decisions.Count >= count)
            {
                return decisions;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The hub stored {decisions.Count} of {count} decisions within {StartTimeout.TotalSeconds} s.");
            }
        }
    }

    /// <summary>Waits until the agent's telemetry on the dashboard reports an empty outbox.</summary>
    private async Task WaitForOutboxDrainedAsync()
    {
        using var cancellation = new CancellationTokenSource(StartTimeout);
        int? depth = null;
        while (depth != 0)
        {
            using JsonDocument dashboard = JsonDocument.Parse(await _hubApi.GetStringAsync("/api/dashboard"));
            JsonElement device = dashboard.RootElement.GetProperty("devices").EnumerateArray()
                .FirstOrDefault(d => d.GetProperty("deviceId").GetString() == DeviceId);
            depth = device.ValueKind == JsonValueKind.Object
                && device.GetProperty("outboxDepth").ValueKind == JsonValueKind.Number
                    ? device.GetProperty("outboxDepth").GetInt32()
                    : null;
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The agent's outbox did not drain within {StartTimeout.TotalSeconds} s, last depth {depth}.");
            }
        }
    }

    private async Task<int> DashboardDecisionCountAsync()
    {
        using JsonDocument dashboard = JsonDocument.Parse(await _hubApi.GetStringAsync("/api/dashboard"));
        return dashboard.RootElement.GetProperty("decisions").GetProperty("decisions").GetInt32();
    }

    /// <summary>Polls /api/dashboard, as the dashboard page does, until the agent's alarm of this kind is shown or gone.</summary>
    private async Task<JsonElement> WaitForAlarmAsync(string kind, bool present)
    {
        using var cancellation = new CancellationTokenSource(DecisionTimeout);
        while (true)
        {
            using JsonDocument dashboard = JsonDocument.Parse(await _hubApi.GetStringAsync("/api/dashboard"));
            JsonElement alarm = dashboard.RootElement.GetProperty("alarms").EnumerateArray()
                .FirstOrDefault(a => a.GetProperty("kind").GetString() == kind
                    && a.GetProperty("deviceId").GetString() == DeviceId);
            if ((alarm.ValueKind == JsonValueKind.Object) == present)
            {
                return alarm.ValueKind == JsonValueKind.Object ? alarm.Clone() : default;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"Alarm {kind} of {DeviceId} was {(present ? "not raised" : "not cleared")} within {DecisionTimeout.TotalSeconds} s: {dashboard.RootElement.GetProperty("alarms")}");
            }
        }
    }

    private ProcessHost Start(string project, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ProcessHost process = ProcessHost.Start(project, arguments, environment);
        _processes.Add(process);
        return process;
    }
}
