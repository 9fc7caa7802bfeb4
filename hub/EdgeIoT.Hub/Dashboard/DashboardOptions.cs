namespace EdgeIoT.Hub.Dashboard;

/// <summary>Settings of the operator dashboard, section <c>Hub:Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    /// <summary>How far back the live latency percentiles reach.</summary>
    public TimeSpan LatencyWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Device outbox depth at which a queue-near-full alarm is raised; the agent's default capacity is 100,000.</summary>
    public int QueueNearFullDepth { get; set; } = 80_000;

    /// <summary>Device clock offset from the hub, in milliseconds, beyond which a clock-drift alarm is raised.</summary>
    public long ClockDriftMs { get; set; } = 5_000;

    /// <summary>How often the page polls <c>GET /api/dashboard</c>.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Names the first invalid value, with its key below <c>Hub:Dashboard</c>.</summary>
    public string? FindProblem()
    {
        if (LatencyWindow < TimeSpan.FromSeconds(10))
        {
            return $"Hub:Dashboard:LatencyWindow {LatencyWindow} is too short: use at least 00:00:10.";
        }

        if (QueueNearFullDepth < 1)
        {
            return $"Hub:Dashboard:QueueNearFullDepth {QueueNearFullDepth} must be positive.";
        }

        if (ClockDriftMs < 1)
        {
            return $"Hub:Dashboard:ClockDriftMs {ClockDriftMs} must be positive.";
        }

        return RefreshInterval < TimeSpan.FromMilliseconds(200) || RefreshInterval > TimeSpan.FromMinutes(1)
            ? $"Hub:Dashboard:RefreshInterval {RefreshInterval} is invalid: use 00:00:00.2 to 00:01:00."
            : null;
    }
}
