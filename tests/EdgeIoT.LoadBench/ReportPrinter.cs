using System.Globalization;

namespace EdgeIoT.LoadBench;

/// <summary>Prints each round and the medians over the rounds as Markdown tables, with the hub-to-Mosquitto ratio.</summary>
public static class ReportPrinter
{
    public static void Print(TextWriter output, LoadProfile profile, int rounds, IReadOnlyList<TargetReport> reports)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(reports);

        output.WriteLine(Invariant(
            $"{profile.Gates} gates, normal {profile.BaseRate}/s, rush {profile.RushRate}/s, {profile.PhaseDuration.TotalSeconds} s per phase, {rounds} rounds, {Environment.ProcessorCount} cores"));
        output.WriteLine();
        output.WriteLine("| target | phase | started UTC | offered | acked | failed | acked/s | p50 ms | p99 ms | max ms | max due at s | nothing acked lost |");
        output.WriteLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (TargetReport report in reports)
        {
            foreach (PhaseResult phase in new[] { report.Normal, report.Rush })
            {
                output.WriteLine(Invariant(
                    $"| {report.Target} | {phase.Name} | {phase.StartedAt:HH:mm:ss.fff} | {phase.Offered} | {phase.Acknowledged} | {phase.Failed} | {phase.Throughput:F0} | {phase.Percentile(0.5):F2} | {phase.Percentile(0.99):F2} | {phase.Percentile(1):F1} | {phase.SlowestDueAfter.TotalSeconds:F2} | {(report.NoAcknowledgedEventLost ? "yes" : $"NO: {report.Delivered} of {report.Acknowledged}")} |"));
            }
        }

        PrintMedians(output, reports);
        PrintHubProcessorTime(output, profile, reports);
    }

    // With the hub in its own process, its processor time is its own and not the gates' as well.
    private static void PrintHubProcessorTime(TextWriter output, LoadProfile profile, IReadOnlyList<TargetReport> reports)
    {
        List<TimeSpan> times = reports.Select(report => report.HubProcessorTime).OfType<TimeSpan>().ToList();
        if (times.Count == 0)
        {
            return;
        }

        double seconds = Median(times.Select(time => time.TotalSeconds));
        double wall = 2 * profile.PhaseDuration.TotalSeconds;
        output.WriteLine();
        output.WriteLine(Invariant(
            $"Hub process CPU over the normal and rush phases (median over the rounds): {seconds:F2} s in {wall:F1} s, {100 * seconds / wall:F0} % of one core"));
    }

    private static void PrintMedians(TextWriter output, IReadOnlyList<TargetReport> reports)
    {
        var byTarget = reports.GroupBy(report => report.Target).ToList();
        output.WriteLine();
        output.WriteLine("Medians over the rounds, rush phase:");
        output.WriteLine();
        output.WriteLine("| target | acked/s | p50 ms | p99 ms |");
        output.WriteLine("| --- | ---: | ---: | ---: |");
        var medians = new Dictionary<string, (double Throughput, double P50, double P99)>();
        foreach (IGrouping<string, TargetReport> target in byTarget)
        {
            (double Throughput, double P50, double P99) median = (
                Median(target.Select(report => report.Rush.Throughput)),
                Median(target.Select(report => report.Rush.Percentile(0.5))),
                Median(target.Select(report => report.Rush.Percentile(0.99))));
            medians[target.Key] = median;
            output.WriteLine(Invariant($"| {target.Key} | {median.Throughput:F0} | {median.P50:F2} | {median.P99:F2} |"));
        }

        if (medians.Count == 2)
        {
            (double Throughput, double P50, double P99) anchor = medians[byTarget[0].Key];
            (double Throughput, double P50, double P99) hub = medians[byTarget[1].Key];
            output.WriteLine();
            output.WriteLine(Invariant(
                $"Ratio hub / Mosquitto: throughput {hub.Throughput / anchor.Throughput:F2}, p50 {hub.P50 / anchor.P50:F2}, p99 {hub.P99 / anchor.P99:F2}"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
