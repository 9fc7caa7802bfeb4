using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Reporting;

/// <summary>Collects what the run observed and turns it into an <see cref="EventReport"/>.</summary>
public sealed class ReportBuilder(ScenarioOptions scenario, DateTimeOffset startedAt)
{
    private readonly List<QueueSample> _queueSamples = [];
    private long _peakDeviceOutbox;

    public GuestListSummary? GuestList { get; set; }

    public void Sample(int second, LaneDepths lanes, long largestOutbox)
    {
        ArgumentNullException.ThrowIfNull(lanes);

        _queueSamples.Add(new QueueSample(second, lanes.Payments, lanes.Entitlements, lanes.CheckIns, lanes.Telemetry));
        _peakDeviceOutbox = Math.Max(_peakDeviceOutbox, largestOutbox);
    }

    public EventReport Build(
        IReadOnlyList<VisitResult> visits,
        IReadOnlyList<OutageRecord> outages,
        ReconciliationSummary reconciliation,
        DisputeSummary disputes,
        TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(visits);

        List<VisitResult> decided = visits.Where(v => v.Decision != null).ToList();
        var decisions = new DecisionSummary(
            Scans: decided.Count,
            Admitted: decided.Count(v => v.Decision!.Admitted),
            Denied: decided.Count(v => !v.Decision!.Admitted),
            DeniedByReason: CountBy(decided.Where(v => !v.Decision!.Admitted), v => v.Decision!.Reason),
            AdmittedByRole: CountBy(decided.Where(v => v.Decision!.Admitted), v => v.Role ?? "unknown"),
            Unreadable: visits.Sum(v => v.UnreadableFrames));
        List<VisitResult> offline = decided.Where(v => v.Decision!.Mode == "offline").ToList();
        var offlineSummary = new OfflineSummary(
            offline.Count, CountBy(offline, v => v.Decision!.PolicyVersion ?? "none"));
        var latency = decided
            .GroupBy(v => v.DeviceClass)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => Percentiles.Summarize(g.Select(v => v.Decision!.Latency.TotalMilliseconds).ToList()));
        var walkIns = new WalkInSummary(
            Verified: visits.Count(v => v.Visit.Kind == VisitKind.WalkIn && v.Decision != null),
            Purchases: visits.Count(v => v.Sale?.Accepted == true),
            SalesMinor: visits.Where(v => v.Sale?.Accepted == true).Sum(v => v.SaleAmountMinor),
            ReceiptsPrinted: visits.Count(v => v.Sale?.ReceiptPrinted == true),
            AssistantSales: visits.Count(v => v.Visit.Kind == VisitKind.CreatorAssistant && v.Sale?.Accepted == true));

        List<string> failures = Check(decisions, latency, reconciliation, visits);
        return new EventReport
        {
            Scenario = scenario.Name,
            Seed = scenario.Seed,
            StartedAt = startedAt,
            DurationSeconds = Math.Round(duration.TotalSeconds, 1),
            GuestList = GuestList ?? new GuestListSummary(scenario.GuestListFile, 0, 0, []),
            Decisions = decisions,
            Offline = offlineSummary,
            Latency = latency,
            Queues = new QueueSummary(PeakByLane(), _peakDeviceOutbox),
            QueueSamples = _queueSamples,
            Reconciliation = reconciliation,
            Disputes = disputes,
            WalkIns = walkIns,
            Outages = outages,
            Timeline = Timeline(decided),
            Passed = failures.Count == 0,
            Failures = failures,
        };
    }

    private List<string> Check(
        DecisionSummary decisions,
        Dictionary<string, LatencySummary> latency,
        ReconciliationSummary reconciliation,
        IReadOnlyList<VisitResult> visits)
    {
        var failures = new List<string>();
        if (reconciliation.Lost > 0)
        {
            failures.Add($"{reconciliation.Lost} events produced at the edge are missing from the ledger.");
        }

        if (reconciliation.AppliedTwice > 0)
        {
            failures.Add($"{reconciliation.AppliedTwice} events were applied twice in the ledger.");
        }

        if (decisions.Admitted == 0)
        {
            failures.Add("No guest was admitted.");
        }

        foreach ((string deviceClass, LatencySummary summary) in latency)
        {
            if (summary.P99Ms > scenario.LatencyBudget.TotalMilliseconds)
            {
                failures.Add(
                    $"{deviceClass} scan-to-gate p99 is {summary.P99Ms:F1} ms, over the {scenario.LatencyBudget.TotalMilliseconds} ms budget.");
            }
        }

        var undecided = visits.Where(v => v.Decision == null).ToList();
        if (undecided.Count > 0)
        {
            string byKind = string.Join(", ", undecided.GroupBy(v => v.Visit.Kind).Select(g => $"{g.Count()} {g.Key}"));
            failures.Add($"{undecided.Count} visits got no gate decision ({byKind}); the log names each.");
        }

        int admittedForgeries = visits.Count(v => v.Visit.Kind is VisitKind.Forged or VisitKind.Garbage
            && v.Decision?.Admitted == true);
        if (admittedForgeries > 0)
        {
            failures.Add($"{admittedForgeries} forged or garbage codes were admitted.");
        }

        return failures;
    }

    private Dictionary<string, long> PeakByLane() => new()
    {
        ["payments"] = _queueSamples.Select(s => s.Payments).DefaultIfEmpty(0).Max(),
        ["entitlements"] = _queueSamples.Select(s => s.Entitlements).DefaultIfEmpty(0).Max(),
        ["checkIns"] = _queueSamples.Select(s => s.CheckIns).DefaultIfEmpty(0).Max(),
        ["telemetry"] = _queueSamples.Select(s => s.Telemetry).DefaultIfEmpty(0).Max(),
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
