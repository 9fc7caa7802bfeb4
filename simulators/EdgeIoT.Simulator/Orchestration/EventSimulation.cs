using System.Diagnostics;
using System.Globalization;
using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Reporting;
using EdgeIoT.Simulator.Scenarios;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Runs one simulated event end to end: ledger, hub, lanes, crowd, faults, drain, report.
/// Every service runs on its own loopback ports and talks to the others over real sockets, so
/// the bytes on the wire are the ones a venue would see. All run in this process, except the
/// hub when the scenario's venue.hub.host is "process".
/// </summary>
public sealed class EventSimulation(ScenarioOptions scenario, ILoggerFactory loggers, ISimulationProgress progress)
{
    private const string HubId = "popup";

    /// <summary>Name of the log of a hub process (venue.hub.host "process"), in the run's data folder.</summary>
    public const string HubProcessLogFile = "hub-process.log";
    private readonly ILogger _logger = loggers.CreateLogger<EventSimulation>();

    // The venue clock: hub and devices read it, and the simulator moves it forward to let
    // pre-issued codes expire and to place a key rotation inside the crowd.
    private readonly SimulatedClock _venueClock = new();

    // Collected as the run goes, so a run that stops early can still be reported.
    private readonly RunSoFar _run = new();

    /// <summary>
    /// Runs the event and returns its report. A run that stops early after its lanes started
    /// (Ctrl-C or an error) throws <see cref="SimulationStoppedException"/> with a partial report.
    /// </summary>
    public async Task<EventReport> RunAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset startedAt = DateTimeOffset.UtcNow;
        var wallClock = Stopwatch.StartNew();
        var report = new ReportBuilder(scenario, startedAt);
        Directory.CreateDirectory(scenario.DataDirectory);

        Phase("Starting the central ledger and the hub");
        await using LedgerNode ledger = await LedgerNode.StartAsync(
            Path.Combine(scenario.DataDirectory, "ledger"), loggers, cancellationToken);
        await using var ledgerLink = new FaultProxy(
            FaultSpec.HubLedgerLink, ledger.Endpoint, loggers.CreateLogger("EdgeIoT.Simulator.Faults.HubLedgerLink"));
        await using HubNode hub = await HubNode.StartAsync(HubSettingsFor(ledgerLink), cancellationToken);

        Phase("Importing the guest list");
        report.GuestList = await ImportGuestsAsync(hub.Client, cancellationToken);
        IReadOnlyList<EntitlementInfo> entitlements = await hub.Client.ListEntitlementsAsync(cancellationToken);

        Phase("Enrolling and starting lanes");
        List<IGateLane> lanes = await StartLanesAsync(hub, cancellationToken);
        try
        {
            return await RunWithLanesAsync(hub, ledger, ledgerLink, lanes, entitlements, report, wallClock, cancellationToken);
        }
        catch (Exception ex) when (ex is not SimulationStoppedException)
        {
            // Lanes, hub and ledger still run here, so the partial report can read their counts.
            var partial = new PartialReport(_run, HubId, _logger);
            EventReport? partialReport = await partial.TryBuildAsync(
                report, hub, ledger, lanes, ex, cancellationToken.IsCancellationRequested, wallClock.Elapsed);
            if (partialReport is null)
            {
                throw;
            }

            throw new SimulationStoppedException(partialReport, ex);
        }
        finally
        {
            foreach (IGateLane lane in lanes)
            {
                await lane.DisposeAsync();
            }
        }
    }

    private async Task<EventReport> RunWithLanesAsync(
        HubNode hub,
        LedgerNode ledger,
        FaultProxy ledgerLink,
        IReadOnlyList<IGateLane> lanes,
        IReadOnlyList<EntitlementInfo> entitlements,
        ReportBuilder report,
        Stopwatch wallClock,
        CancellationToken cancellationToken)
    {
        await WaitForLanesAsync(lanes, cancellationToken);
        IReadOnlyList<Visit> visits = CrowdPlan.Build(scenario, entitlements, lanes);
        _run.VisitsPlanned = visits.Count;
        var faults = new FaultScheduler(new FaultTargets(hub, ledgerLink, lanes), loggers.CreateLogger<FaultScheduler>());
        _run.Faults = faults;
        var clockPlan = new VenueClockPlan(scenario, _venueClock, hub, _logger);
        IReadOnlyDictionary<int, string> expired = await clockPlan.IssueExpiringCodesAsync(visits, cancellationToken);
        await clockPlan.PlaceKeyRotationAsync(cancellationToken);
        await WaitForLanesAsync(lanes, cancellationToken);

        var clock = Stopwatch.StartNew();
        _run.CrowdClock = clock;
        if (clockPlan.RotationSecond is { } rotation)
        {
            faults.Note("key-rotation", rotation, "the next edge signing key takes over");
        }

        using var links = new HubLinkTracker(lanes, clock);
        _run.Links = links;
        var sampler = new RunSampler(hub, lanes, _logger);
        _run.Sampler = sampler;
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task sampled = sampler.RunAsync(clock, sampling.Token);
        try
        {
            var credentials = new CrowdCredentials(
                expired, hub.EventId + 1, _venueClock.GetUtcNow, hub.SmsOutboxFile, scenario.PartialShare, scenario.Seed);
            IReadOnlyList<VisitResult> results = await RunCrowdAsync(hub, lanes, faults, visits, credentials, clock, cancellationToken);

            Phase("Waiting for every queue to reach the ledger");
            await WaitForPassagesAsync(cancellationToken);
            ReconciliationSummary reconciliation = await DrainAndReconcileAsync(hub, ledger, lanes, cancellationToken);
            await sampling.CancelAsync();
            await sampled;
            DisputeSummary disputes = await DisputesAsync(ledger, cancellationToken);
            return report.Build(new RunObservations(
                results, faults.Records, faults.Outages, sampler, links.OfflinePeriods(clock.Elapsed), reconciliation,
                disputes, lanes, wallClock.Elapsed));
        }
        finally
        {
            // A run that stops early stops sampling too, so its partial report reads settled samples.
            await sampling.CancelAsync();
            await sampled.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void Phase(string description)
    {
        _run.Phase = description;
        progress.Phase(description);
    }

    private HubSettings HubSettingsFor(FaultProxy ledgerLink) => new(
        Path.Combine(scenario.DataDirectory, "hub"),
        HubId,
        new Uri($"http://127.0.0.1:{ledgerLink.Port}"),
        scenario.PolicyFile,
        new SimulatedClock(_venueClock),
        _venueClock.GetUtcNow().AddHours(6),
        scenario.KeyRotation?.Interval,
        loggers,
        scenario.HubHost,
        Path.Combine(scenario.DataDirectory, HubProcessLogFile));

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
        try
        {
            foreach (LaneSpec spec in scenario.ResolveLanes())
            {
                lanes.Add(await StartLaneAsync(spec, hub, cancellationToken));
            }
        }
        catch
        {
            // Lanes started so far may run device processes, which must not outlive the run.
            foreach (IGateLane lane in lanes)
            {
                await lane.DisposeAsync();
            }

            throw;
        }

        return lanes;
    }

    private async Task<IGateLane> StartLaneAsync(LaneSpec spec, HubNode hub, CancellationToken cancellationToken)
    {
        string data = Path.Combine(scenario.DataDirectory, spec.Id);
        return (spec.Kind, spec.Host) switch
        {
            (LaneKind.Agent, LaneHost.Process) =>
                await ProcessAgentLane.StartAsync(spec, hub, data, scenario, _venueClock, loggers, cancellationToken),
            (LaneKind.Agent, _) => await AgentLane.StartAsync(spec, hub, data, scenario, _venueClock, loggers, cancellationToken),
            (_, LaneHost.Process) =>
                await ProcessFirmwareLane.StartAsync(spec, hub, data, scenario, _venueClock, loggers, cancellationToken),
            _ => await FirmwareLane.StartAsync(spec, hub, data, scenario, _venueClock, loggers, cancellationToken),
        };
    }

    private static async Task WaitForLanesAsync(IReadOnlyList<IGateLane> lanes, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // A lane in its own process also starts a .NET runtime, which a loaded machine slows
        // down, so the start gets as long as a restart after a power cut.
        timeout.CancelAfter(LaneReadiness.Timeout);
        while (lanes.Any(l => !l.IsReady))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                string waiting = string.Join(", ", lanes.Where(l => !l.IsReady).Select(l => l.DeviceId));
                string processLogs = lanes.Any(l => !l.IsReady && l is IProcessLane)
                    ? " A lane in its own process writes its output to agent.log or device.log in its folder of the data folder."
                    : string.Empty;
                throw new TimeoutException(
                    $"Lanes {waiting} did not receive keys, snapshot, policy and a trusted time from the hub within "
                    + $"{LaneReadiness.Timeout.TotalSeconds:0} s.{processLogs}");
            }
        }
    }

    private async Task<IReadOnlyList<VisitResult>> RunCrowdAsync(
        HubNode hub,
        IReadOnlyList<IGateLane> lanes,
        FaultScheduler faults,
        IReadOnlyList<Visit> visits,
        CrowdCredentials credentials,
        Stopwatch clock,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<FaultSpec> schedule = scenario.Faults ?? FaultSpec.DefaultOutages(lanes[0].DeviceId);
        using var crowd = new CrowdRunner(hub.Client, lanes, credentials, loggers.CreateLogger<CrowdRunner>());
        _run.Phase = "Visitors arriving";
        progress.CrowdStarted(visits.Count);
        Task faulting = faults.RunAsync(schedule, scenario.ArrivalWindow, clock, cancellationToken);

        IReadOnlyList<VisitResult> results = await crowd.RunAsync(
            visits,
            clock,
            result =>
            {
                _run.Finished(result);
                progress.Visited(result.Decision?.Admitted == true);
            },
            cancellationToken);

        await faulting;
        await faults.EndAllAsync(clock.Elapsed, cancellationToken);
        return results;
    }

    private async Task WaitForPassagesAsync(CancellationToken cancellationToken)
    {
        // An agent annuls an admit without a passage when its passage timeout ends. Waiting
        // for that lets the annul event be counted and reach the ledger.
        if (scenario.TurnBackShare > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(3.5), cancellationToken);
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

    internal static async Task<DisputeSummary> DisputesAsync(LedgerNode ledger, CancellationToken cancellationToken)
    {
        IReadOnlyList<LedgerDispute> disputes = await ledger.Client.DisputesAsync(HubId, cancellationToken);
        return new DisputeSummary(
            disputes.Count,
            disputes.GroupBy(d => d.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()));
    }

    internal static IEnumerable<string> EventIds(string deviceId, long lastSequence)
    {
        for (long seq = 1; seq <= lastSequence; seq++)
        {
            // The idempotency key every device writes: "{deviceId}:{seq}" (see EdgeEvent.EventId).
            yield return string.Create(CultureInfo.InvariantCulture, $"{deviceId}:{seq}");
        }
    }
}
