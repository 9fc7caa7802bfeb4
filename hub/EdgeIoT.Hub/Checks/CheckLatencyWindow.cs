namespace EdgeIoT.Hub.Checks;

/// <summary>
/// Round-trip times of the most recent online checks inside the hub, from the received request to
/// the published answer, for the operator's status. Keeps the last <see cref="Capacity"/> samples.
/// </summary>
public sealed class CheckLatencyWindow
{
    public const int Capacity = 4096;

    private readonly Lock _gate = new();
    private readonly long[] _micros = new long[Capacity];
    private long _total;

    public void Record(TimeSpan elapsed)
    {
        long micros = (long)elapsed.TotalMicroseconds;
        lock (_gate)
        {
            _micros[_total % Capacity] = micros;
            _total++;
        }
    }

    /// <summary>Returns the number of checks since start and the p50 and p99 of the kept window, in microseconds.</summary>
    public CheckLatency Read()
    {
        long[] samples;
        long total;
        lock (_gate)
        {
            total = _total;
            samples = _micros.AsSpan(0, (int)Math.Min(total, Capacity)).ToArray();
        }

        if (samples.Length == 0)
        {
            return new CheckLatency(0, 0, 0);
        }

        Array.Sort(samples);
        return new CheckLatency(total, Percentile(samples, 0.50), Percentile(samples, 0.99));
    }

    // Nearest-rank percentile: the smallest sample with at least p of the samples at or below it.
    private static long Percentile(long[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
