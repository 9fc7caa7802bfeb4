namespace EdgeIoT.Simulator.Reporting;

/// <summary>Latency percentiles by the nearest-rank method.</summary>
public static class Percentiles
{
    public static LatencySummary Summarize(IReadOnlyCollection<double> millisecondsSamples)
    {
        ArgumentNullException.ThrowIfNull(millisecondsSamples);
        if (millisecondsSamples.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0);
        }

        double[] sorted = [.. millisecondsSamples.Order()];
        return new LatencySummary(
            sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.95), Rank(sorted, 0.99), sorted[^1]);
    }

    private static double Rank(double[] sorted, double percentile)
    {
        int index = (int)Math.Ceiling(percentile * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}
