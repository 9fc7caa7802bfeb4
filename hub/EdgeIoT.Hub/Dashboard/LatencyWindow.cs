namespace EdgeIoT.Hub.Dashboard;

/// <summary>
/// Scan-to-decision latencies of the decisions stored in the last <see cref="Span"/>, for the
/// dashboard's live percentiles. Samples are ordered by hub receipt time, so old ones leave from the front.
/// </summary>
public sealed class LatencyWindow(TimeSpan span)
{
    private readonly Lock _gate = new();
    private readonly Queue<LatencySample> _samples = new();

    public TimeSpan Span { get; } = span;

    public void Add(string deviceId, long hubTimeMs, double latencyMs)
    {
        lock (_gate)
        {
            _samples.Enqueue(new LatencySample(deviceId, hubTimeMs, latencyMs));
        }
    }

    /// <summary>Returns the samples received after <paramref name="nowMs"/> minus <see cref="Span"/>, dropping older ones.</summary>
    public IReadOnlyList<LatencySample> Read(long nowMs)
    {
        long oldestMs = nowMs - (long)Span.TotalMilliseconds;
        lock (_gate)
        {
            while (_samples.Count > 0 && _samples.Peek().HubTimeMs < oldestMs)
            {
                _samples.Dequeue();
            }

            return [.. _samples];
        }
    }

    /// <summary>Returns the nearest-rank percentile (0 to 100) of <paramref name="sortedMs"/>, or 0 for none.</summary>
    public static double Percentile(IReadOnlyList<double> sortedMs, double percent)
    {
        ArgumentNullException.ThrowIfNull(sortedMs);
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);

        if (sortedMs.Count == 0)
        {
            return 0;
        }

        int rank = (int)Math.Ceiling(percent / 100 * sortedMs.Count);
        return sortedMs[Math.Clamp(rank - 1, 0, sortedMs.Count - 1)];
    }
}
