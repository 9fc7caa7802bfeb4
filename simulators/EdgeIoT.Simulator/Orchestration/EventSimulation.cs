using System.Diagnostics;
using System.Globalization;
using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Reporting;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Runs one simulated event end to end: ledger, hub, lanes, crowd, faults, drain, report.
/// Every service runs in this process on its own loopback ports and talks to the others
/// over real sockets, so the bytes on the wire are the ones a venue would see.
/// </summary>
public sealed class EventSimulation(ScenarioOptions scenario, ILoggerFactory loggers, ISimulationProgress progress)
{
    private const string HubId = "popup";
    private readonly ILogger _logger = loggers.CreateLogger<EventSimulation>();

    public async Task<EventReport> RunAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        var wallClock = Stopwatch.StartNew();
        var report = new ReportBuilder(scenario, startedAt);
        Directory.CreateDirectory(scenario.DataDirectory);

        progress.Phase("Starting the central ledger and the hub");
        await using LedgerNode ledger = await LedgerNode.StartAsync(
            Path.Combine(scenario.DataDirectory, "ledger"), loggers, cancellationToken);
        await using var ledgerLink = new FaultProxy(
            "hub-ledger", ledger.Endpoint, loggers.CreateLogger("EdgeIoT.Simulator.Faults.HubLedgerLink"));
        await using HubNode hub = await HubNode.StartAsync(
            Path.Combine(scenario.DataDirectory, "hub"),
            HubId,
            new Uri($"http://127.0.0.1:{ledgerLink.Port}"),
            scenario.PolicyFile,
            loggers,
            cancellationToken);

        progress.Phase("Importing the guest list");
        report.GuestList = await ImportGuestsAsync(hub.Client, cancellationToken);
        IReadOnlyList<EntitlementInfo> entitlements = await hub.Client.ListEntitlementsAsync(cancellationToken);

        progress.Phase("Enrolling and starting lanes");
        List<IGateLane> lanes = await StartLanesAsync(hub, cancellationToken);
        try
        {
            await WaitForLanesAsync(lanes, cancellationToken);
            IReadOnlyList<Visit> visits = CrowdPlan.Build(scenario, entitlements, lanes.Count);
            var clock = Stopwatch.StartNew();
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task sampler = SampleQueuesAsync(hub, lanes, report, clock, sampling.Token);
            IReadOnlyList<VisitResult> results = await RunCrowdAsync(
                hub, lanes, ledgerLink, visits, clock, cancellationToken);

            progress.Phase("Waiting for every queue to reach the ledger");
            ReconciliationSummary reconciliation = await DrainAndReconcileAsync(
                hub, ledger, lanes, cancellationToken);
            await sampling.CancelAsync();
            await sampler;
            DisputeSummary disputes = await DisputesAsync(ledger, cancellationToken);
            return report.Build(results, _outages.Outages, reconciliation, disputes, wallClock.Elapsed);
        }
        finally
        {
            foreach (IGateLane lane in lanes)
            {
                await lane.DisposeAsync();
            }
        }
    }

    private readonly FaultSchedule _outages = new();

    private async Task<GuestListSummary> ImportGuestsAsync(HubClient hub, CancellationToken cancellationToken)
    {
        string csv = await File.ReadAllTextAsync(scenario.GuestListFile, cancellationToken);
        ImportResult import = await hub.ImportGuestsAsync(csv, cancellationToken);
        _logger.LogInformation(
            "Imported {Imported} guests from {File}, {Rejected} rows rejected",
            import.Imported,
            scenario.GuestListFile,
            import.Rejected.Count);
        return new GuestListSummary(
            scenario.GuestListFile,
            import.Imported,
            import.Rejected.Count,
            import.Rejected.Select(r => new RejectedRow(r.Row, r.Column, r.Value, r.Message)).ToList());
    }

    private async Task<List<IGateLane>> StartLanesAsync(HubNode hub, CancellationToken cancellationToken)
    {
        var lanes = new List<IGateLane>();
        for (int i = 1; i <= scenario.AgentLanes; i++)
        {
            lanes.Add(await AgentLane.StartAsync(
                $"agent-{i}",
                hub,
                Path.Combine(scenario.DataDirectory, $"agent-{i}"),
                scenario.BlurShare,
                scenario.Seed + i,
                loggers,
                cancellationToken));
        }

        for (int i = 1; i <= scenario.FirmwareLanes; i++)
        {
            lanes.Add(await FirmwareLane.StartAsync(
                $"esp32-{i}",
                hub,
                Path.Combine(scenario.DataDirectory, $"esp32-{i}"),
                scenario.BlurShare,
                scenario.Seed + 100 + i,
                loggers,
                cancellationToken));
        }

        return lanes;
    }

    private static async Task WaitForLanesAsync(IReadOnlyList<IGateLane> lanes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while (lanes.Any(l => !l.IsReady))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                string waiting = string.Join(", ", lanes.Where(l => !l.IsReady).Select(l => l.DeviceId));
                throw new TimeoutException(
                    $"Lanes {waiting} did not receive keys, snapshot and policy from the hub within 30 s.");
            }
        }
    }

    private async Task<IReadOnlyList<VisitResult>> RunCrowdAsync(
        HubNode hub,
        IReadOnlyList<IGateLane> lanes,
        FaultProxy ledgerLink,
        IReadOnlyList<Visit> visits,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        TimeSpan window = scenario.ArrivalWindow;
        _outages.Add(ledgerLink, window * scenario.LedgerOutageStart, window * scenario.LedgerOutageEnd);
        _outages.Add(lanes[0].HubLink, window * scenario.LaneOutageStart, window * scenario.LaneOutageEnd);

        using var crowd = new CrowdRunner(
            hub.Client,
            lanes,
            hub.SmsOutboxFile,
            loggers.CreateLogger<CrowdRunner>());
        progress.CrowdStarted(visits.Count);
        Task faults = _outages.RunAsync(clock, cancellationToken);

        IReadOnlyList<VisitResult> results = await crowd.RunAsync(
            visits, clock, result => progress.Visited(result.Decision?.Admitted == true), cancellationToken);

        await faults;
        _outages.HealAll(clock.Elapsed);
        return results;
    }

    private async Task SampleQueuesAsync(
        HubNode hub, IReadOnlyList<IGateLane> lanes, ReportBuilder report, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                HubStatus status = await hub.Client.StatusAsync(cancellationToken);
                report.Sample((int)clock.Elapsed.TotalSeconds, status.Lanes, lanes.Max(l => (long)l.OutboxDepth));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
        catch (HttpRequestException ex)
        {
            _logger.LogWarning("Queue sampling stopped: {Error}", ex.Message);
        }
    }

    private async Task<ReconciliationSummary> DrainAndReconcileAsync(
        HubNode hub, LedgerNode ledger, IReadOnlyList<IGateLane> lanes, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        HashSet<string> produced = [];
        IReadOnlyList<string> inLedger = [];
        while (true)
        {
            produced = [.. lanes.SelectMany(l => EventIds(l.DeviceId, l.LastSequence))];
            HubStatus status = await hub.Client.StatusAsync(cancellationToken);
            inLedger = await ledger.Client.EventIdsAsync(HubId, cancellationToken);
            long remaining = lanes.Sum(l => (long)l.OutboxDepth) + status.Lanes.Total;
            progress.Draining(remaining);
            bool drained = remaining == 0 && produced.IsSubsetOf(inLedger);
            if (drained || deadline.Elapsed > scenario.DrainTimeout)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        LedgerSummary summary = await ledger.Client.SummaryAsync(HubId, cancellationToken);
        var ledgerIds = inLedger.ToHashSet();
        List<string> lost = produced.Where(id => !ledgerIds.Contains(id)).Order(StringComparer.Ordinal).ToList();
        return new ReconciliationSummary(
            ProducedAtEdge: produced.Count,
            InLedger: produced.Count(ledgerIds.Contains),
            Lost: lost.Count,
            AppliedTwice: inLedger.Count - ledgerIds.Count,
            DuplicatesAbsorbed: summary.DuplicatesAbsorbed,
            LostEventIds: lost.Take(50).ToList());
    }

    private static async Task<DisputeSummary> DisputesAsync(LedgerNode ledger, CancellationToken cancellationToken)
    {
        IReadOnlyList<LedgerDispute> disputes = await ledger.Client.DisputesAsync(HubId, cancellationToken);
        return new DisputeSummary(
            disputes.Count,
            disputes.GroupBy(d => d.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
    }

    private static IEnumerable<string> EventIds(string deviceId, long lastSequence)
    {
        for (long seq = 1; seq <= lastSequence; seq++)
        {
            // The idempotency key every device writes: "{deviceId}:{seq}" (see EdgeEvent.EventId).
            yield return string.Create(CultureInfo.InvariantCulture, $"{deviceId}:{seq}");
        }
    }
}
