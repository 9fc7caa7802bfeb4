namespace EdgeIoT.Hub.Dashboard;

/// <summary>One decision's scan-to-decision latency and the hub time it arrived, Unix milliseconds.</summary>
public readonly record struct LatencySample(string DeviceId, long HubTimeMs, double LatencyMs);
