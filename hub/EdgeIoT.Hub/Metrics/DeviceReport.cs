namespace EdgeIoT.Hub.Metrics;

/// <summary>
/// The latest telemetry and status a device sent. Versions are null until the device reported them.
/// </summary>
public sealed record DeviceReport
{
    public required string DeviceId { get; init; }

    /// <summary>Hub time of the last telemetry sample, Unix milliseconds; 0 before the first.</summary>
    public long TelemetryAtMs { get; init; }

    public int OutboxDepth { get; init; }

    /// <summary>Device clock minus hub clock, in milliseconds, as the device measured it.</summary>
    public long ClockOffsetMs { get; init; }

    public bool HubConnected { get; init; }

    public uint? KeyListVersion { get; init; }

    public uint? SnapshotVersion { get; init; }
}
