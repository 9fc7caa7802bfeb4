using System.Collections.Concurrent;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Metrics;

/// <summary>
/// The latest telemetry sample and status versions of every device, kept in memory: they are
/// live readings that every device resends, so a hub restart loses nothing worth keeping.
/// </summary>
public sealed class DeviceReports
{
    private readonly ConcurrentDictionary<string, DeviceReport> _reports = new(StringComparer.Ordinal);

    public void RecordTelemetry(DeviceTelemetry telemetry, long hubTimeMs)
    {
        ArgumentNullException.ThrowIfNull(telemetry);

        _reports.AddOrUpdate(
            telemetry.DeviceId,
            id => Apply(new DeviceReport { DeviceId = id }, telemetry, hubTimeMs),
            (_, report) => Apply(report, telemetry, hubTimeMs));
    }

    public void RecordStatus(DeviceStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);

        _reports.AddOrUpdate(
            status.DeviceId,
            id => Apply(new DeviceReport { DeviceId = id }, status),
            (_, report) => Apply(report, status));
    }

    public IReadOnlyList<DeviceReport> ReadAll() =>
        [.. _reports.Values.OrderBy(report => report.DeviceId, StringComparer.Ordinal)];

    public DeviceReport? Find(string deviceId) => _reports.GetValueOrDefault(deviceId);

    private static DeviceReport Apply(DeviceReport report, DeviceTelemetry telemetry, long hubTimeMs) => report with
    {
        TelemetryAtMs = hubTimeMs,
        OutboxDepth = telemetry.OutboxDepth,
        ClockOffsetMs = telemetry.ClockOffsetMs,
        HubConnected = telemetry.HubConnected,
        KeyListVersion = telemetry.KeyListVersion ?? report.KeyListVersion,
        SnapshotVersion = telemetry.SnapshotVersion ?? report.SnapshotVersion,
    };

    private static DeviceReport Apply(DeviceReport report, DeviceStatus status) => report with
    {
        KeyListVersion = status.KeyListVersion ?? report.KeyListVersion,
        SnapshotVersion = status.SnapshotVersion ?? report.SnapshotVersion,
    };
}
