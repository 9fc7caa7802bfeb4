using System.Diagnostics.Metrics;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Metrics;

/// <summary>
/// The hub's instruments on the <see cref="MeterName"/> meter. Decision instruments count the
/// decision events the hub stores, once per event id, so a device's resend is not counted twice.
/// docs/dashboard.md lists every instrument with its unit, tags and Prometheus name.
/// </summary>
public sealed class HubMetrics
{
    public const string MeterName = "EdgeIoT.Hub";

    /// <summary>
    /// Upper bounds of the scan-to-decision latency buckets, in milliseconds: fine below 20 ms,
    /// where a healthy online check lands, and around 200 ms, the per-class p99 budget.
    /// </summary>
    public static readonly IReadOnlyList<double> LatencyBucketsMs =
        [1, 2, 5, 10, 20, 50, 100, 150, 200, 300, 500, 1000, 2000, 5000];

    private readonly Histogram<double> _latency;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _offlineDecisions;
    private readonly UpDownCounter<long> _connections;

    public HubMetrics(
        IMeterFactory meterFactory, ReconciliationStore queue, KeyRing keys, DeviceReports reports, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);

        Meter meter = meterFactory.Create(MeterName);
        _latency = meter.CreateHistogram(
            "edgeiot.decision.latency",
            unit: "ms",
            description: "Scan bytes in to gate command out, measured on the device.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBucketsMs });
        _decisions = meter.CreateCounter<long>(
            "edgeiot.decisions", unit: "{decision}", description: "Gate decisions by device, outcome, reason and mode.");
        _offlineDecisions = meter.CreateCounter<long>(
            "edgeiot.decisions.offline", unit: "{decision}",
            description: "Decisions a device's offline policy made, by device and policy version.");
        _connections = meter.CreateUpDownCounter<long>(
            "edgeiot.mqtt.connections", unit: "{connection}", description: "Open MQTT connections of devices.");

        meter.CreateObservableGauge(
            "edgeiot.queue.depth", () => ObserveQueue(queue), unit: "{event}",
            description: "Unsent events in the hub's reconciliation queue, by priority lane.");
        meter.CreateObservableGauge(
            "edgeiot.queue.dead_letters", () => queue.DeadLetterCount(), unit: "{event}",
            description: "Events the ledger will never accept.");
        meter.CreateObservableGauge(
            "edgeiot.key.age", () => ObserveKeyAge(keys, time), unit: "s",
            description: "Time since the edge key that signs now started signing.");
        meter.CreateObservableGauge(
            "edgeiot.device.clock_offset", () => ObserveReports(reports, report => report.ClockOffsetMs), unit: "ms",
            description: "Device clock minus hub clock from the latest telemetry sample.");
        meter.CreateObservableGauge(
            "edgeiot.device.outbox.depth", () => ObserveReports(reports, report => report.OutboxDepth), unit: "{event}",
            description: "Events on the device not yet acknowledged by the hub, from the latest telemetry sample.");
    }

    /// <summary>Records one stored decision event; other kinds are ignored.</summary>
    public void RecordDecision(EdgeEvent decision)
    {
        ArgumentNullException.ThrowIfNull(decision);

        if (decision.Kind != EventKinds.Decision)
        {
            return;
        }

        var device = new KeyValuePair<string, object?>("device", decision.DeviceId);
        string mode = decision.Mode ?? "unknown";
        _decisions.Add(
            1,
            device,
            new KeyValuePair<string, object?>("outcome", decision.Outcome ?? "unknown"),
            new KeyValuePair<string, object?>("reason", decision.Reason ?? "unknown"),
            new KeyValuePair<string, object?>("mode", mode));
        if (mode == "offline")
        {
            _offlineDecisions.Add(1, device, new KeyValuePair<string, object?>("policy_version", decision.PolicyVersion ?? "none"));
        }

        if (decision.LatencyMicros is long micros)
        {
            _latency.Record(
                micros / 1000.0,
                device,
                new KeyValuePair<string, object?>("device_class", decision.DeviceClass),
                new KeyValuePair<string, object?>("mode", mode));
        }
    }

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    private static IEnumerable<Measurement<long>> ObserveQueue(ReconciliationStore queue)
    {
        foreach ((Lane lane, long count) in queue.UnsentCounts())
        {
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("lane", LaneNames.ToName(lane)));
        }
    }

    private static IEnumerable<Measurement<double>> ObserveKeyAge(KeyRing keys, TimeProvider time)
    {
        KeyRotationStatus? status = KeyRotationStatus.Read(keys, time.GetUtcNow());
        if (status is not null)
        {
            yield return new Measurement<double>(status.AgeSeconds);
        }
    }

    private static IEnumerable<Measurement<long>> ObserveReports(DeviceReports reports, Func<DeviceReport, long> value)
    {
        foreach (DeviceReport report in reports.ReadAll().Where(report => report.TelemetryAtMs > 0))
        {
            yield return new Measurement<long>(value(report), new KeyValuePair<string, object?>("device", report.DeviceId));
        }
    }
}
