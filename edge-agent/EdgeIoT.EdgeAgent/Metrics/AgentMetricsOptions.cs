namespace EdgeIoT.EdgeAgent.Metrics;

/// <summary>Prometheus scrape endpoint of the agent, section <c>Agent:Metrics</c>; off unless enabled.</summary>
public sealed class AgentMetricsOptions
{
    public bool Enabled { get; set; }

    /// <summary>Loopback TCP port of <c>http://127.0.0.1:{Port}/metrics</c>; 9464 is the usual Prometheus exporter port.</summary>
    public int Port { get; set; } = 9464;

    /// <summary>Names the invalid value, or returns null.</summary>
    public string? FindProblem() =>
        Port is >= 1 and <= 65535 ? null : $"Agent:Metrics:Port {Port} is invalid: use 1 to 65535.";
}
