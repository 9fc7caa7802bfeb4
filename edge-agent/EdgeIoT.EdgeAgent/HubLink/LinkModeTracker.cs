namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>
/// Online or offline mode of a lane, from a short history of online-check latencies and
/// failures and of probe round trips. It does no I/O and is not thread-safe; the caller locks.
/// </summary>
public sealed class LinkModeTracker
{
    private readonly HubLinkThresholds _thresholds;
    private readonly Queue<TimeSpan> _latencies = new();
    private int _failures;
    private int _fastProbes;

    public LinkModeTracker(HubLinkThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);

        _thresholds = thresholds;
    }

    /// <summary>True while the lane sends online checks. A lane starts online, so its first connection is used at once.</summary>
    public bool Online { get; private set; } = true;

    /// <summary>Why the mode last changed, for logs and status.</summary>
    public string Reason { get; private set; } = "started";

    /// <summary>Mode changes so far.</summary>
    public int Transitions { get; private set; }

    /// <summary>Median of the recent check latencies, or null before the first successful check.</summary>
    public TimeSpan? MedianLatency => _latencies.Count == 0 ? null : Median();

    /// <summary>Records one online check: its latency, or null when it failed. Returns true when the mode changed.</summary>
    public bool RecordCheck(TimeSpan? latency)
    {
        if (!Online)
        {
            return false;
        }

        if (latency is not TimeSpan value)
        {
            _failures++;
            return _failures >= _thresholds.OfflineAfterFailures
                && SwitchOffline($"{_failures} consecutive online checks failed");
        }

        _failures = 0;
        _latencies.Enqueue(value);
        if (_latencies.Count > _thresholds.LatencyWindow)
        {
            _latencies.Dequeue();
        }

        TimeSpan median = Median();
        return _latencies.Count == _thresholds.LatencyWindow && median > _thresholds.SlowCheckLatency
            && SwitchOffline($"median online check latency {median.TotalMilliseconds:0} ms is above {_thresholds.SlowCheckLatency.TotalMilliseconds:0} ms");
    }

    /// <summary>Records that the connection to the hub is lost, which switches offline at once.</summary>
    public bool RecordDisconnect() => Online && SwitchOffline("the connection to the hub is lost");

    /// <summary>Records one probe while offline: its round trip, or null when it failed. Returns true when the mode changed.</summary>
    public bool RecordProbe(TimeSpan? roundTrip)
    {
        if (Online)
        {
            return false;
        }

        _fastProbes = roundTrip is TimeSpan value && value <= _thresholds.RecoveryLatency ? _fastProbes + 1 : 0;
        if (_fastProbes < _thresholds.OnlineAfterSuccesses)
        {
            return false;
        }

        Online = true;
        Reason = $"{_fastProbes} consecutive probes answered within {_thresholds.RecoveryLatency.TotalMilliseconds:0} ms";
        Transitions++;
        _fastProbes = 0;
        return true;
    }

    private bool SwitchOffline(string reason)
    {
        Online = false;
        Reason = reason;
        Transitions++;
        _failures = 0;
        _fastProbes = 0;
        _latencies.Clear();
        return true;
    }

    private TimeSpan Median()
    {
        TimeSpan[] sorted = [.. _latencies.Order()];
        return sorted[sorted.Length / 2];
    }
}
