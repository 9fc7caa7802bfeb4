namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>
/// When a lane stops sending online checks and when it starts again. The band between
/// <see cref="SlowCheckLatency"/> and <see cref="RecoveryLatency"/> is the hysteresis: a
/// latency that hovers around one threshold can switch the mode once, not back and forth.
/// </summary>
public sealed class HubLinkThresholds
{
    /// <summary>Consecutive failed online checks (timeout or error) that switch the lane offline.</summary>
    public int OfflineAfterFailures { get; set; } = 3;

    /// <summary>Median latency of the last <see cref="LatencyWindow"/> checks above which the lane switches offline.</summary>
    public TimeSpan SlowCheckLatency { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Number of recent check latencies the median is taken over.</summary>
    public int LatencyWindow { get; set; } = 5;

    /// <summary>Consecutive fast probes that switch an offline lane back online.</summary>
    public int OnlineAfterSuccesses { get; set; } = 3;

    /// <summary>Largest probe round trip that counts as a success towards going back online.</summary>
    public TimeSpan RecoveryLatency { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Time between probes (MQTT PINGREQ) while the lane is offline but connected.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Returns the first invalid setting as a message naming it and its value, or null when all are valid.</summary>
    public string? Validate()
    {
        if (OfflineAfterFailures is < 1 or > 100)
        {
            return $"OfflineAfterFailures {OfflineAfterFailures} is invalid: use 1 to 100 consecutive failures.";
        }

        if (LatencyWindow is < 1 or > 100)
        {
            return $"LatencyWindow {LatencyWindow} is invalid: use 1 to 100 checks.";
        }

        if (OnlineAfterSuccesses is < 1 or > 100)
        {
            return $"OnlineAfterSuccesses {OnlineAfterSuccesses} is invalid: use 1 to 100 consecutive probes.";
        }

        if (SlowCheckLatency <= TimeSpan.Zero || RecoveryLatency <= TimeSpan.Zero || RecoveryLatency > SlowCheckLatency)
        {
            return $"RecoveryLatency {RecoveryLatency} and SlowCheckLatency {SlowCheckLatency} are invalid: "
                + "both must be positive and RecoveryLatency at most SlowCheckLatency.";
        }

        return ProbeInterval <= TimeSpan.Zero ? $"ProbeInterval {ProbeInterval} is invalid: use a positive interval." : null;
    }
}
