using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.Protocol.Messaging;
using Xunit.Abstractions;

namespace EdgeIoT.EndToEnd.Tests.Chaos;

/// <summary>
/// Ledger, hub, an edge agent and a virtual ESP32 as separate processes under load, while the
/// hub and the agent are killed with SIGKILL and the hub-ledger and agent-hub links are cut.
/// Afterwards the ledger must contain exactly the events the devices stored, payments of each
/// ledger outage must precede its check-ins, and the planted double admits must be disputes.
/// </summary>
[Trait("Category", "Chaos")]
public sealed class ChaosTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int MaxAgentLag = 30;

    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);

    // Pace of the scanner lines. It shapes the load so faults land in the middle of the
    // traffic. No step of the test waits on it for a result.
    private static readonly TimeSpan ScanInterval = TimeSpan.FromMilliseconds(8);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "edgeiot-chaos-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ChaosScale _scale = ChaosScale.FromEnvironment();
    private readonly List<(long StartMs, long EndMs)> _ledgerOutages = [];
    private ChaosVenue? _venue;
    private int _esp32Lines;
    private long _agentScans;
    private long _agentScansAtBase;
    private long _agentSeqBase;
    private int _agentStartsSeen;
    private int _purchases;

    private ChaosVenue Venue => _venue ?? throw new InvalidOperationException("The venue is not started.");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        _venue = await ChaosVenue.StartAsync(_root);
    }

    public async Task DisposeAsync()
    {
        if (_venue is not null)
        {
            output.WriteLine(_venue.ProcessOutput());
            await _venue.DisposeAsync();
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
    public async Task Venue_KillsAndLinkCuts_LedgerEqualsDeviceLogs()
    {
        var clock = Stopwatch.StartNew();
        var desk = new GuestDesk(Venue.HubApi, Venue.HubDirectory);
        await desk.ImportAsync(_scale.Guests);
        await Venue.StartAgentAsync();
        Venue.StartEsp32();
        IReadOnlyList<uint> planted = await PlantDoubleAdmitsAsync(desk);

        for (int round = 1; round <= _scale.Rounds; round++)
        {
            await RunRoundAsync(desk);
        }

        TimeSpan chaos = clock.Elapsed;
        HashSet<string> produced = await FreezeDeviceLogsAsync();
        var drain = Stopwatch.StartNew();
        List<EdgeRecords.LedgerRow> ledger = await WaitForLedgerAsync(produced);
        TimeSpan drained = drain.Elapsed;
        JsonElement disputes = await Venue.LedgerApi.GetFromJsonAsync<JsonElement>($"/v1/disputes?hubId={Venue.Venue}");

        Report(produced, ledger, chaos, drained);
        Assert.Empty(produced.Except(ledger.Select(row => row.EventId)).Order(StringComparer.Ordinal).Take(20));
        Assert.Empty(ledger.Select(row => row.EventId).Except(produced).Order(StringComparer.Ordinal).Take(20));
        Assert.Equal(ledger.Count, ledger.Select(row => row.EventId).Distinct().Count());
        foreach ((long startMs, long endMs) in _ledgerOutages)
        {
            AssertPaymentsFirst(ledger, startMs, endMs);
        }

        Assert.Equal(
            planted.Select(id => $"double_admit:{id}").Order(StringComparer.Ordinal),
            disputes.EnumerateArray()
                .Select(d => $"{d.GetProperty("kind").GetString()}:{d.GetProperty("entitlementId").GetInt64()}")
                .Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Admits guests offline at both gates: the agent with its hub link cut, the ESP32 (which
    /// always decides by its offline policy) directly. The ledger must report each as a dispute.
    /// </summary>
    private async Task<IReadOnlyList<uint>> PlantDoubleAdmitsAsync(GuestDesk desk)
    {
        IReadOnlyList<GuestDesk.IssuedToken> guests = await desk.CheckInNextAsync(_scale.DisputeGuests);
        (string username, string password) = Venue.OperatorCredentials();
        await using DecisionWatcher watcher = await DecisionWatcher.ConnectAsync(Venue.HubMqttPort, Venue.Venue, username, password);
        await watcher.WaitOnlineAsync(ChaosVenue.AgentId, StepTimeout);
        await watcher.WaitOnlineAsync(ChaosVenue.Esp32Id, StepTimeout);
        await watcher.WaitForTimeBeaconsAsync(1, StepTimeout);

        Venue.AgentLink.Partition();
        foreach (GuestDesk.IssuedToken guest in guests)
        {
            Assert.True(await Venue.AgentScanner.SendAsync(guest.Token), "The agent's scanner connection is down.");
            EdgeEvent atEsp32 = await ScanAtEsp32Async(watcher, guest.Token);
            Assert.Equal("admit/offline", $"{atEsp32.Outcome}/{atEsp32.Mode}");
        }

        Venue.AgentLink.Heal();
        return guests.Select(guest => guest.EntitlementId).ToList();
    }

    /// <summary>
    /// One round: a ledger outage that spans a hub SIGKILL, an agent-hub link cut and an agent
    /// SIGKILL, with scans, ESP32 scans and walk-in purchases flowing throughout.
    /// </summary>
    private async Task RunRoundAsync(GuestDesk desk)
    {
        var tokens = new Queue<GuestDesk.IssuedToken>(await desk.CheckInNextAsync(_scale.GuestsPerRound));
        var walkIns = new Queue<GuestDesk.IssuedToken>();
        for (int i = 0; i < _scale.PurchasesPerRound; i++)
        {
            walkIns.Enqueue(await desk.WalkInAsync(spendLimitMinor: 4000));
        }

        int step = _scale.AgentScansPerRound / 6;
        await FeedAsync(tokens, walkIns, step);

        Venue.LedgerLink.Partition();
        long outageStart = NowMs();
        await FeedAsync(tokens, walkIns, step);

        await Venue.KillHubAsync();
        await FeedAsync(tokens, walkIns, step);
        await Venue.RestartHubAsync();

        Venue.AgentLink.Partition();
        await FeedAsync(tokens, walkIns, step);
        await Venue.KillAndRestartAgentAsync();
        await FeedAsync(tokens, walkIns, step);
        Venue.AgentLink.Heal();

        await FeedAsync(tokens, walkIns, tokens.Count);
        while (walkIns.Count > 0)
        {
            await PurchaseAsync(walkIns.Dequeue());
        }

        // The outage ends once the hub has stored the round's payments, so each window has both kinds.
        await WaitForPaymentsAtHubAsync();
        _ledgerOutages.Add((outageStart, NowMs()));
        Venue.LedgerLink.Heal();
    }

    /// <summary>Sends agent scans, with every few an ESP32 scan and a walk-in purchase.</summary>
    private async Task FeedAsync(Queue<GuestDesk.IssuedToken> tokens, Queue<GuestDesk.IssuedToken> walkIns, int scans)
    {
        for (int i = 0; i < scans && tokens.Count > 0; i++)
        {
            if (await Venue.AgentScanner.SendAsync(tokens.Dequeue().Token))
            {
                await KeepAgentCloseAsync();
            }

            int sent = (int)(Venue.AgentScanner.Sent + Venue.AgentScanner.Dropped);
            if (sent % ChaosScale.Esp32Every == 0 && tokens.Count > 0)
            {
                await WriteAtomicallyAsync(Venue.Esp32Inbox, $"line-{++_esp32Lines:D6}.txt", tokens.Dequeue().Token + "\r\n");
            }

            if (sent % ChaosScale.PurchaseEvery == 0 && walkIns.Count > 0)
            {
                await PurchaseAsync(walkIns.Dequeue());
            }

            await Task.Delay(ScanInterval);
        }
    }

    /// <summary>
    /// Holds the feed back while the agent is more than <see cref="MaxAgentLag"/> scans behind,
    /// so scans reach the agent while the fault they are meant for is still in place.
    /// </summary>
    private async Task KeepAgentCloseAsync()
    {
        _agentScans++;
        if (_agentScans % 10 != 0)
        {
            return;
        }

        if (Venue.AgentStarts != _agentStartsSeen)
        {
            _agentStartsSeen = Venue.AgentStarts;
            // A new agent process: lines the killed one had not read are gone with it.
            _agentSeqBase = Venue.AgentSeqAtStart;
            _agentScansAtBase = _agentScans - 1;
        }

        var deadline = Stopwatch.StartNew();
        string outbox = Path.Combine(Venue.AgentDirectory, "outbox.db");
        while (EdgeRecords.AgentLastSeq(outbox) - _agentSeqBase < _agentScans - _agentScansAtBase - MaxAgentLag)
        {
            Assert.True(deadline.Elapsed < StepTimeout, "The agent stopped deciding scans.");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private Task PurchaseAsync(GuestDesk.IssuedToken walkIn) =>
        WriteAtomicallyAsync(
            Venue.PurchaseInbox,
            $"sale-{++_purchases:D6}.json",
            JsonSerializer.Serialize(new { token = walkIn.Token, amountMinor = 450, description = "Festival tote" }));

    /// <summary>
    /// Stops both devices with SIGKILL so their logs cannot grow, reads every event id they
    /// stored, then starts them again with no scans so their queues drain.
    /// </summary>
    private async Task<HashSet<string>> FreezeDeviceLogsAsync()
    {
        Assert.False(Venue.LedgerLink.IsPartitioned);
        Assert.False(Venue.AgentLink.IsPartitioned);

        // The ESP32 reads its scan files every 200 ms. A file still in its inbox at the kill would
        // be read after the restart and store an event that the frozen log does not list.
        var deadline = Stopwatch.StartNew();
        while (Directory.EnumerateFiles(Venue.Esp32Inbox, "*.txt").Any())
        {
            Assert.True(deadline.Elapsed < StepTimeout, "The ESP32 did not read its last scan files in time.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        // A file is deleted once read; this leaves time to decide and store its last scan.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await Venue.KillAgentAsync();
        await Venue.KillEsp32Async();

        HashSet<string> produced =
        [
            .. EdgeRecords.AgentEventIds(Path.Combine(Venue.AgentDirectory, "outbox.db"), ChaosVenue.AgentId),
            .. EdgeRecords.Esp32EventIds(Venue.Esp32Flash, ChaosVenue.Esp32Id),
        ];

        await Venue.StartAgentAsync();
        Venue.StartEsp32();
        return produced;
    }

    /// <summary>Polls the agent's till folder and outbox until every sale is stored and acknowledged by the hub.</summary>
    private async Task WaitForPaymentsAtHubAsync()
    {
        var deadline = Stopwatch.StartNew();
        string outbox = Path.Combine(Venue.AgentDirectory, "outbox.db");
        while (PendingSales().Count > 0 || EdgeRecords.QueuedPayments(outbox) > 0)
        {
            Assert.True(
                deadline.Elapsed < StepTimeout,
                $"The agent did not hand its payments to the hub in time: {PendingSales().Count} sales not taken, "
                + $"{EdgeRecords.QueuedPayments(outbox)} payments in its outbox.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    private List<string> PendingSales() =>
        Directory.EnumerateFiles(Venue.PurchaseInbox, "sale-*.json")
            .Where(file => !file.EndsWith(".result.json", StringComparison.Ordinal))
            .ToList();

    /// <summary>Polls the ledger's database until it contains every produced event, or fails after a timeout.</summary>
    private async Task<List<EdgeRecords.LedgerRow>> WaitForLedgerAsync(HashSet<string> produced)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            List<EdgeRecords.LedgerRow> rows = EdgeRecords.LedgerRows(Venue.LedgerDatabase, Venue.Venue);
            int missing = produced.Count - produced.Count(rows.Select(row => row.EventId).ToHashSet().Contains);
            if (missing == 0)
            {
                return rows;
            }

            if (deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                output.WriteLine($"{missing} of {produced.Count} produced events are still missing from the ledger.");
                return rows;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private static void AssertPaymentsFirst(List<EdgeRecords.LedgerRow> ledger, long startMs, long endMs)
    {
        List<EdgeRecords.LedgerRow> window = ledger.Where(row => row.HubReceivedMs >= startMs && row.HubReceivedMs <= endMs).ToList();
        List<EdgeRecords.LedgerRow> payments = window.Where(row => row.Kind == EventKinds.Payment).ToList();
        List<EdgeRecords.LedgerRow> checkIns = window.Where(row => row.Kind == EventKinds.Decision).ToList();

        Assert.True(payments.Count > 0, $"No payment reached the hub during the ledger outage {startMs}..{endMs}.");
        Assert.True(checkIns.Count > 0, $"No check-in reached the hub during the ledger outage {startMs}..{endMs}.");
        EdgeRecords.LedgerRow lastPayment = payments.MaxBy(row => row.Position)!;
        EdgeRecords.LedgerRow firstCheckIn = checkIns.MinBy(row => row.Position)!;
        Assert.True(
            lastPayment.Position < firstCheckIn.Position,
            $"Payment {lastPayment.EventId} reached the ledger at row {lastPayment.Position}, after check-in "
            + $"{firstCheckIn.EventId} at row {firstCheckIn.Position}, although both were queued in outage {startMs}..{endMs}.");
    }

    private void Report(HashSet<string> produced, List<EdgeRecords.LedgerRow> ledger, TimeSpan chaos, TimeSpan drained)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            rounds {_scale.Rounds}, agent scans sent {Venue.AgentScanner.Sent} (dropped while the agent was down {Venue.AgentScanner.Dropped}),
            ESP32 scan lines {_esp32Lines}, walk-in purchases {_purchases}, hub kills {Venue.HubKills}, agent kills {Venue.AgentKills},
            ledger outages {_ledgerOutages.Count}, agent link cuts {Venue.AgentLink.PartitionCount},
            events produced at the edge {produced.Count} (agent {produced.Count(id => id.StartsWith(ChaosVenue.AgentId, StringComparison.Ordinal))}),
            in the ledger {ledger.Count}, payments {ledger.Count(row => row.Kind == EventKinds.Payment)},
            chaos phase {chaos.TotalSeconds:0.0} s, drain after restore {drained.TotalSeconds:0.0} s
            """));
    }

    /// <summary>Scans at the ESP32 until it decides: a turnstile ignores scans while its arm is still open.</summary>
    private async Task<EdgeEvent> ScanAtEsp32Async(DecisionWatcher watcher, string token)
    {
        for (int attempt = 1; ; attempt++)
        {
            await WriteAtomicallyAsync(Venue.Esp32Inbox, $"line-{++_esp32Lines:D6}.txt", token + "\r\n");
            try
            {
                return await watcher.NextDecisionAsync(ChaosVenue.Esp32Id, TimeSpan.FromSeconds(2));
            }
            catch (TimeoutException) when (attempt < 10)
            {
            }
        }
    }

    /// <summary>Writes under a temporary name first, so a reader never picks up half a file.</summary>
    private static async Task WriteAtomicallyAsync(string folder, string name, string content)
    {
        string temporary = Path.Combine(folder, name + ".tmp");
        await File.WriteAllTextAsync(temporary, content);
        File.Move(temporary, Path.Combine(folder, name));
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
