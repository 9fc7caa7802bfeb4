using EdgeIoT.Hub.Forecast;
using EdgeIoT.Hub.Metrics;
using EdgeIoT.Hub.Reporting;

namespace EdgeIoT.Hub.Dashboard;

/// <summary>Everything the dashboard page shows, as <c>GET /api/dashboard</c> returns it. Times are Unix milliseconds.</summary>
public sealed record DashboardSnapshot(
    string Venue,
    uint EventId,
    long GeneratedAtMs,
    long RefreshIntervalMs,
    LatencyPanel Latency,
    DecisionTotals Decisions,
    IReadOnlyList<DevicePanelRow> Devices,
    QueuePanel Queue,
    DisputeSummary Disputes,
    KeyPanel Keys,
    IReadOnlyList<Alarm> Alarms,
    ForecastReport? Forecast);

/// <summary>Latency percentiles over the last <see cref="WindowSeconds"/>, overall and per device.</summary>
public sealed record LatencyPanel(
    double WindowSeconds, LatencyPercentiles All, IReadOnlyList<LatencyPercentiles> ByDevice);

/// <summary>Nearest-rank percentiles of <see cref="Count"/> samples; <see cref="DeviceId"/> is null for all devices.</summary>
public sealed record LatencyPercentiles(string? DeviceId, int Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

/// <summary>One device with its connection state and its latest telemetry.</summary>
public sealed record DevicePanelRow(
    string DeviceId,
    string DeviceClass,
    string State,
    long LastSeenMs,
    int? OutboxDepth,
    long? ClockOffsetMs,
    uint? KeyListVersion,
    uint? SnapshotVersion);

/// <summary>Unsent events of the hub's reconciliation queue per lane, and dead letters.</summary>
public sealed record QueuePanel(long Payments, long Entitlements, long CheckIns, long Telemetry, long DeadLetters);

/// <summary>Key rotation and snapshot status; <see cref="Rotation"/> is null before the key ring loaded.</summary>
public sealed record KeyPanel(KeyRotationStatus? Rotation, uint SnapshotVersion, int DevicesBehind);
