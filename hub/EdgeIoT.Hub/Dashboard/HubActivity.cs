using System.Collections.Concurrent;
using EdgeIoT.Hub.Metrics;
using EdgeIoT.Hub.Options;
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
        else if (stored.Kind == EventKinds.Status)
        {
            RecordStatusEvent(stored, hubTimeMs);
        }
    }

    public void OnTelemetry(DeviceTelemetry telemetry) =>
        _reports.RecordTelemetry(telemetry, _time.GetUtcNow().ToUnixTimeMilliseconds());

    public void OnStatus(DeviceStatus status) => _reports.RecordStatus(status);

    public void OnConnected() => _metrics.ConnectionOpened();

    public void OnDisconnected() => _metrics.ConnectionClosed();

    private void RecordStatusEvent(EdgeEvent status, long hubTimeMs)
    {
        string? raised = AlarmKinds.FromStatusDetail(status.Detail);
        if (raised is not null)
        {
            _deviceAlarms[(raised, status.DeviceId)] = new Alarm(raised, status.DeviceId, status.Detail!, hubTimeMs);
            return;
        }

        foreach (string cleared in AlarmKinds.ClearedBy(status.Detail))
        {
            _deviceAlarms.TryRemove((cleared, status.DeviceId), out _);
        }
    }
}
