using System.Collections.Concurrent;
using EdgeIoT.Hub.Metrics;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Reporting;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Dashboard;

/// <summary>
/// Receives what devices send the hub (stored events, telemetry, statuses) and feeds the metrics,
/// the live latency window and the device-raised alarms. The broker calls it after a publish was
/// accepted, so a rejected or repeated event is never counted.
/// </summary>
public sealed class HubActivity
{
    private readonly HubMetrics _metrics;
    private readonly DeviceReports _reports;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<(string Kind, string DeviceId), Alarm> _deviceAlarms = new();

    public HubActivity(HubMetrics metrics, DeviceReports reports, HubOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);

        _metrics = metrics;
        _reports = reports;
        _time = time;
        Latencies = new LatencyWindow(options.Dashboard.LatencyWindow);
    }

    public LatencyWindow Latencies { get; }

    /// <summary>Alarms raised by device status events and not cleared since, oldest first.</summary>
    public IReadOnlyList<Alarm> DeviceAlarms => [.. _deviceAlarms.Values.OrderBy(alarm => alarm.SinceMs)];

    /// <summary>Records an event the hub stored for the first time.</summary>
    public void OnEventStored(EdgeEvent stored)
    {
        ArgumentNullException.ThrowIfNull(stored);

        long hubTimeMs = stored.HubReceivedMs ?? _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (stored.Kind == EventKinds.Decision)
        {
            _metrics.RecordDecision(stored);
            if (stored.LatencyMicros is long micros)
            {
                Latencies.Add(stored.DeviceId, hubTimeMs, micros / 1000.0);
            }
        }
        else if (stored.Kind == EventKinds.Status && stored.Detail is not null)
        {
            RecordStatusDetail(stored.DeviceId, stored.Detail, hubTimeMs);
        }
    }

    /// <summary>
    /// Rebuilds the device alarms and the latency window from the events stored before this
    /// start, so a hub restart neither clears a raised door or printer alarm nor empties the live
    /// percentiles.
    /// </summary>
    /// <returns>The number of alarms raised and of latency samples restored.</returns>
    public (int Alarms, int LatencySamples) Restore(EventQueries queries)
    {
        ArgumentNullException.ThrowIfNull(queries);

        foreach (StatusRow status in queries.ReadStatusDetails())
        {
            RecordStatusDetail(status.DeviceId, status.Detail, status.HubReceivedMs);
        }

        // Outbox full and dead letter have no clearing detail: the operator clears them by restarting the hub.
        foreach ((string Kind, string DeviceId) key in _deviceAlarms.Keys.Where(key => !AlarmKinds.IsClearedByDevice(key.Kind)))
        {
            _deviceAlarms.TryRemove(key, out _);
        }

        long sinceMs = _time.GetUtcNow().ToUnixTimeMilliseconds() - (long)Latencies.Span.TotalMilliseconds;
        IReadOnlyList<StoredLatency> latencies = queries.ReadLatenciesSince(sinceMs);
        foreach (StoredLatency sample in latencies)
        {
            Latencies.Add(sample.DeviceId, sample.HubReceivedMs, sample.LatencyMs);
        }

        return (_deviceAlarms.Count, latencies.Count);
    }

    public void OnTelemetry(DeviceTelemetry telemetry) =>
        _reports.RecordTelemetry(telemetry, _time.GetUtcNow().ToUnixTimeMilliseconds());

    public void OnStatus(DeviceStatus status) => _reports.RecordStatus(status);

    public void OnConnected() => _metrics.ConnectionOpened();

    public void OnDisconnected() => _metrics.ConnectionClosed();

    private void RecordStatusDetail(string deviceId, string detail, long hubTimeMs)
    {
        string? raised = AlarmKinds.FromStatusDetail(detail);
        if (raised is not null)
        {
            _deviceAlarms[(raised, deviceId)] = new Alarm(raised, deviceId, detail, hubTimeMs);
            return;
        }

        foreach (string cleared in AlarmKinds.ClearedBy(detail))
        {
            _deviceAlarms.TryRemove((cleared, deviceId), out _);
        }
    }
}
