using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Reporting;

/// <summary>Turns what the run observed into an <see cref="EventReport"/> and checks the expected outcomes.</summary>
public sealed class ReportBuilder(ScenarioOptions scenario, DateTimeOffset startedAt)
{
    public GuestListSummary? GuestList { get; set; }

    /// <summary>Builds the report of a finished run and judges its expected outcomes.</summary>
    public EventReport Build(RunObservations run)
    {
        ArgumentNullException.ThrowIfNull(run);

        return Check(Summarize(run), run.Visits);
    }

    /// <summary>
    /// Builds the report of a run that stopped early. Its expected outcomes are not judged,
    /// because counts of a run cut short would fail most of them for no fault of the system.
    /// </summary>
    public EventReport BuildPartial(RunObservations run, RunInterruption interruption)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(interruption);

        return Summarize(run) with { Interruption = interruption, Passed = false };
    }

    private EventReport Summarize(RunObservations run)
    {
        IReadOnlyList<VisitResult> visits = run.Visits;
        List<VisitResult> decided = visits.Where(v => v.Decision != null).ToList();
        HashSet<string> nfcLanes = [.. run.Lanes.Where(l => l.HasNfcReader).Select(l => l.DeviceId)];
        var decisions = new DecisionSummary(
            Scans: decided.Count,
            Admitted: decided.Count(v => v.Decision!.Admitted),
            Denied: decided.Count(v => !v.Decision!.Admitted),
            DeniedByReason: CountBy(decided.Where(v => !v.Decision!.Admitted), v => v.Decision!.Reason),
            AdmittedByRole: CountBy(decided.Where(v => v.Decision!.Admitted), v => v.Role ?? "unknown"),
            Unreadable: visits.Sum(v => v.UnreadableFrames),
            Undecided: visits.Count - decided.Count)
        {
            ByNfcTag = decided.Count(v => v.Visit.Habits.NfcTag && nfcLanes.Contains(v.DeviceId)),
        };
        List<VisitResult> offline = decided.Where(v => v.Decision!.Mode == "offline").ToList();
        var latency = decided
            .GroupBy(v => v.DeviceClass)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => Percentiles.Summarize(g.Select(v => v.Decision!.Latency.TotalMilliseconds).ToList()));

        return new EventReport
        {
            Scenario = scenario.Name,
            Seed = scenario.Seed,
            StartedAt = startedAt,
            DurationSeconds = Math.Round(run.Duration.TotalSeconds, 1),
            GuestList = GuestList ?? new GuestListSummary(scenario.GuestListFile, 0, 0, []),
            Decisions = decisions,
            Offline = new OfflineSummary(offline.Count, CountBy(offline, v => v.Decision!.PolicyVersion ?? "none")),
            Latency = latency,
            Queues = new QueueSummary(PeakByLane(run.Samples.HubQueues), run.Samples.PeakDeviceOutbox),
            QueueSamples = run.Samples.HubQueues,
            DeviceQueueSamples = run.Samples.DeviceQueues,
            Reconciliation = run.Reconciliation,
            Disputes = run.Disputes,
            WalkIns = WalkIns(visits),
            Outages = run.Outages,
            Faults = run.Faults,
            OfflinePeriods = run.OfflinePeriods,
            Gates = Gates(visits, run.Lanes),
            BadActors = BadActors(visits),
            DecisionDigest = DecisionDigest.Compute(visits),
            Timeline = Timeline(decided),
            Expectations = [],
            Failures = [],
        };
    }

    private EventReport Check(EventReport report, IReadOnlyList<VisitResult> visits)
    {
        IReadOnlyList<Expectation> expectations = scenario.Expectations ?? Expectation.Defaults;
        List<ExpectationResult> results = expectations.Select(e => e.Evaluate(report)).ToList();
        List<string> failures = results.Where(r => !r.Met).Select(r => r.FailureMessage).ToList();
        var undecided = visits.Where(v => v.Decision == null).ToList();
        if (undecided.Count > 0 && failures.Count > 0)
        {
            string byKind = string.Join(", ", undecided.GroupBy(v => v.Visit.Kind).Select(g => $"{g.Count()} {g.Key}"));
            failures.Add($"{undecided.Count} visits got no gate decision ({byKind}); the log names each.");
        }

        return report with { Expectations = results, Failures = failures, Passed = failures.Count == 0 };
    }

    private static WalkInSummary WalkIns(IReadOnlyList<VisitResult> visits)
    {
        List<VisitResult> walkInSales = visits.Where(v => v.Visit.Kind == VisitKind.WalkIn && v.Sale?.Accepted == true).ToList();
        List<VisitResult> assistantSales =
            visits.Where(v => v.Visit.Kind == VisitKind.CreatorAssistant && v.Sale?.Accepted == true).ToList();
        return new WalkInSummary(
            Verified: visits.Count(v => v.Visit.Kind == VisitKind.WalkIn && v.Decision != null),
            Purchases: walkInSales.Count,
            SalesMinor: walkInSales.Sum(v => v.SaleAmountMinor),
            ReceiptsPrinted: visits.Count(v => v.Sale?.ReceiptPrinted == true),
            AssistantSales: assistantSales.Count,
            AssistantSalesMinor: assistantSales.Sum(v => v.SaleAmountMinor));
    }

    private static GateSummary Gates(IReadOnlyList<VisitResult> visits, IReadOnlyList<IGateLane> lanes)
    {
        bool Acted(VisitResult v, PassageBehaviour passage) => v.Decision?.Admitted == true && v.Visit.Habits.Passage == passage;

        return new GateSummary(
            Annulled: lanes.Sum(l => l.Annulled),
            Tailgates: lanes.Sum(l => l.Tailgates),
            TurnBacksActed: visits.Count(v => Acted(v, PassageBehaviour.TurnBack)),
            TailgatesActed: visits.Count(v => Acted(v, PassageBehaviour.Tailgate)));
    }

    private static BadActorSummary BadActors(IReadOnlyList<VisitResult> visits)
    {
        List<VisitResult> bad = visits.Where(v => v.Visit.Kind is VisitKind.Forged or VisitKind.Replay
            or VisitKind.Expired or VisitKind.OtherEvent or VisitKind.Garbage).ToList();
        return new BadActorSummary(
            CountBy(bad, v => BadActorName(v.Visit.Kind)),
            CountBy(bad.Where(v => v.Decision?.Admitted == true), v => BadActorName(v.Visit.Kind)));
    }

    private static string BadActorName(VisitKind kind) => kind switch
    {
        VisitKind.Forged => "forged",
        VisitKind.Replay => "screenshotReplay",
        VisitKind.Expired => "expired",
        VisitKind.OtherEvent => "otherEvent",
        _ => "garbage",
    };

    private static Dictionary<string, long> PeakByLane(IReadOnlyList<QueueSample> samples) => new()
    {
        ["payments"] = samples.Select(s => s.Payments).DefaultIfEmpty(0).Max(),
        ["entitlements"] = samples.Select(s => s.Entitlements).DefaultIfEmpty(0).Max(),
        ["checkIns"] = samples.Select(s => s.CheckIns).DefaultIfEmpty(0).Max(),
        ["telemetry"] = samples.Select(s => s.Telemetry).DefaultIfEmpty(0).Max(),
    };

    private static List<TimelinePoint> Timeline(List<VisitResult> decided)
    {
        if (decided.Count == 0)
        {
            return [];
        }

        int seconds = (int)decided.Max(v => v.DecidedAt.TotalSeconds) + 1;
        var points = new List<TimelinePoint>(seconds);
        ILookup<int, VisitResult> bySecond = decided.ToLookup(v => (int)v.DecidedAt.TotalSeconds);
        for (int second = 0; second < seconds; second++)
        {
            VisitResult[] inSecond = bySecond[second].ToArray();
            points.Add(new TimelinePoint(
                second,
                inSecond.Count(v => v.Decision!.Admitted),
                inSecond.Count(v => !v.Decision!.Admitted),
                inSecond.Count(v => v.Decision!.Mode == "offline")));
        }

        return points;
    }

    private static Dictionary<string, int> CountBy(IEnumerable<VisitResult> visits, Func<VisitResult, string> key) =>
        visits.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
}
