using EdgeIoT.Hub.Forecast;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Metrics;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Reporting;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Dashboard;

/// <summary>Assembles the dashboard's data from the hub's stores, the live activity and the forecast.</summary>
public sealed class DashboardService(
    HubOptions options,
    HubActivity activity,
    DeviceStore devices,
    DeviceReports reports,
    ReconciliationStore queue,
    EventQueries queries,
    KeyRing keys,
    SnapshotCache snapshot,
    ForecastService forecast,
    SettledVersions settledVersions,
    TimeProvider time)
{
    private const int DisputesShown = 20;

    public DashboardSnapshot Build()
    {
        DateTimeOffset now = time.GetUtcNow();
        long nowMs = now.ToUnixTimeMilliseconds();
        IReadOnlyList<DevicePanelRow> deviceRows = ReadDevices();
        KeyRotationStatus? rotation = KeyRotationStatus.Read(keys, now);
        ForecastReport? forecastReport = forecast.Current();

        IReadOnlyDictionary<Lane, long> unsent = queue.UnsentCounts();
        var queuePanel = new QueuePanel(
            unsent[Lane.Payments], unsent[Lane.Entitlements], unsent[Lane.CheckIns], unsent[Lane.Telemetry],
            queue.DeadLetterCount());
        (uint Snapshot, uint KeyList) settled = settledVersions.Observe(snapshot.Version, rotation?.KeyListVersion ?? 0, now);
        int behind = deviceRows.Count(row =>
            row.SnapshotVersion is not uint held || held < settled.Snapshot
            || row.KeyListVersion is not uint list || list < settled.KeyList);

        return new DashboardSnapshot(
            options.Venue,
            options.EventId,
            nowMs,
            (long)options.Dashboard.RefreshInterval.TotalMilliseconds,
            BuildLatency(nowMs),
            queries.CountDecisions(),
            deviceRows,
            queuePanel,
            queries.FindDoubleAdmits(DisputesShown),
            new KeyPanel(rotation, snapshot.Version, behind),
            AlarmRules.Collect(activity.DeviceAlarms, deviceRows, forecastReport, options.Dashboard, nowMs),
            forecastReport);
    }

    private List<DevicePanelRow> ReadDevices()
    {
        return devices.ReadAll()
            .Where(device => device.DeviceClass != Mqtt.SessionIdentity.OperatorUserName)
            .Select(device =>
            {
                DeviceReport? report = reports.Find(device.DeviceId);
                bool sampled = report is { TelemetryAtMs: > 0 };
                return new DevicePanelRow(
                    device.DeviceId,
                    device.DeviceClass,
                    device.State,
                    device.LastSeenMs ?? 0,
                    sampled ? report!.OutboxDepth : null,
                    sampled ? report!.ClockOffsetMs : null,
                    report?.KeyListVersion,
                    report?.SnapshotVersion);
            })
            .ToList();
    }

    private LatencyPanel BuildLatency(long nowMs)
    {
        IReadOnlyList<LatencySample> samples = activity.Latencies.Read(nowMs);
        LatencyPercentiles all = Summarize(null, samples);
        List<LatencyPercentiles> byDevice = samples
            .GroupBy(sample => sample.DeviceId, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => Summarize(group.Key, [.. group]))
            .ToList();
        return new LatencyPanel(activity.Latencies.Span.TotalSeconds, all, byDevice);
    }

    private static LatencyPercentiles Summarize(string? deviceId, IReadOnlyList<LatencySample> samples)
    {
        double[] sorted = [.. samples.Select(sample => sample.LatencyMs).Order()];
        return new LatencyPercentiles(
            deviceId,
            sorted.Length,
            LatencyWindow.Percentile(sorted, 50),
            LatencyWindow.Percentile(sorted, 95),
            LatencyWindow.Percentile(sorted, 99),
            sorted.Length == 0 ? 0 : sorted[^1]);
    }
}
