using EdgeIoT.Hub.Dashboard;
using EdgeIoT.Hub.Metrics;
using EdgeIoT.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Reporting;

/// <summary>Builds the post-event report from a hub database.</summary>
public static class PostEventReportBuilder
{
    private const long MinuteMs = 60_000;
    private const long TimelineBinMs = 5 * MinuteMs;

    public static PostEventReport Build(
        HubDatabase database, EventQueries queries, string venue, uint eventId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(queries);

        IReadOnlyList<DecisionRow> decisions = queries.ReadDecisions();
        DecisionTotals totals = queries.CountDecisions();
        var store = new ReconciliationStore(database);
        long unsent = store.UnsentCounts().Values.Sum();

        var reportTotals = new ReportTotals(
            totals.Decisions,
            totals.Admitted,
            totals.Denied,
            totals.Offline,
            Share(totals.Offline, totals.Decisions),
            queries.CountExpectedGuests(),
            queries.ReadFirstAdmitTimesMs(guestListOnly: true).Count,
            CountEvents(database),
            unsent,
            store.DeadLetterCount());

        return new PostEventReport(
            venue,
            eventId,
            now.ToUnixTimeMilliseconds(),
            reportTotals,
            queries.CountDenialsByReason(),
            BuildLanes(decisions),
            BuildLatency(decisions),
            BuildTimeline(decisions),
            queries.FindDoubleAdmits(int.MaxValue),
            queries.SumPayoutsByCreator(),
            queries.SumPaymentsByCurrency());
    }

    private static List<LaneThroughput> BuildLanes(IReadOnlyList<DecisionRow> decisions)
    {
        return decisions
            .GroupBy(row => row.DeviceId, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group =>
            {
                List<DecisionRow> rows = [.. group];
                long offline = rows.Count(row => row.Mode == "offline");
                long spanMs = rows.Max(row => row.DeviceTimeMs) - rows.Min(row => row.DeviceTimeMs);
                double minutes = Math.Max(1, spanMs / (double)MinuteMs);
                long peak = rows.GroupBy(row => row.DeviceTimeMs / MinuteMs).Max(minute => (long)minute.Count());
                double[] sorted = SortedLatencies(rows);
                return new LaneThroughput(
                    group.Key,
                    rows[0].DeviceClass,
                    rows.Count,
                    rows.Count(row => row.Outcome == "admit"),
                    rows.Count(row => row.Outcome == "deny"),
                    offline,
                    Share(offline, rows.Count),
                    Math.Round(rows.Count / minutes, 2),
                    peak,
                    LatencyWindow.Percentile(sorted, 50),
                    LatencyWindow.Percentile(sorted, 99));
            })
            .ToList();
    }

    private static List<LatencyDistribution> BuildLatency(IReadOnlyList<DecisionRow> decisions)
    {
        var distributions = new List<LatencyDistribution> { Distribution("all", decisions) };
        distributions.AddRange(decisions
            .GroupBy(row => row.DeviceClass, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => Distribution(group.Key, [.. group])));
        return distributions;
    }

    private static LatencyDistribution Distribution(string deviceClass, IReadOnlyList<DecisionRow> rows)
    {
        double[] sorted = SortedLatencies(rows);
        var buckets = new List<LatencyBucket>();
        double lower = double.NegativeInfinity;
        foreach (double bound in HubMetrics.LatencyBucketsMs)
        {
            double from = lower;
            buckets.Add(new LatencyBucket(bound, sorted.LongCount(latency => latency > from && latency <= bound)));
            lower = bound;
        }

        buckets.Add(new LatencyBucket(null, sorted.LongCount(latency => latency > lower)));
        return new LatencyDistribution(
            deviceClass,
            sorted.Length,
            LatencyWindow.Percentile(sorted, 50),
            LatencyWindow.Percentile(sorted, 95),
            LatencyWindow.Percentile(sorted, 99),
            sorted.Length == 0 ? 0 : sorted[^1],
            buckets);
    }

    private static List<TimelineBin> BuildTimeline(IReadOnlyList<DecisionRow> decisions)
    {
        return decisions
            .GroupBy(row => row.DeviceTimeMs / TimelineBinMs * TimelineBinMs)
            .OrderBy(bin => bin.Key)
            .Select(bin => new TimelineBin(
                bin.Key,
                bin.Count(row => row.Outcome == "admit"),
                bin.Count(row => row.Outcome == "deny"),
                bin.Count(row => row.Mode == "offline")))
            .ToList();
    }

    private static double[] SortedLatencies(IEnumerable<DecisionRow> rows) =>
        [.. rows.Where(row => row.LatencyMs is not null).Select(row => row.LatencyMs!.Value).Order()];

    private static double Share(long part, long whole) => whole == 0 ? 0 : Math.Round(part / (double)whole, 4);

    private static long CountEvents(HubDatabase database)
    {
        using SqliteConnection connection = database.Open();
        return Convert.ToInt64(
            HubDatabase.Scalar(connection, "SELECT COUNT(*) FROM events;"), System.Globalization.CultureInfo.InvariantCulture);
    }
}
