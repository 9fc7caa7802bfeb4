namespace EdgeIoT.LoadBench;

/// <summary>
/// Outcome of one load phase. Latency runs from the moment a publish was due by the schedule
/// to its PUBACK, so a target that falls behind shows the queueing in its percentiles.
/// </summary>
public sealed record PhaseResult(string Name, int Offered, int Acknowledged, int Failed, TimeSpan Elapsed, double[] LatenciesMs)
{
    /// <summary>Wall-clock time at which the phase began, to match a stall with a target's own logs.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Time from the start of the phase to the moment the slowest acknowledged publish was due.</summary>
    public TimeSpan SlowestDueAfter { get; init; }

    public double Throughput => Acknowledged / Elapsed.TotalSeconds;

    public double Percentile(double fraction)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        int index = (int)Math.Ceiling(fraction * LatenciesMs.Length) - 1;
        return LatenciesMs[Math.Clamp(index, 0, LatenciesMs.Length - 1)];
    }
}
