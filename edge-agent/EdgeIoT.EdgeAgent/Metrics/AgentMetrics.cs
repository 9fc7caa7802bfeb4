using System.Diagnostics.Metrics;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.EdgeAgent.Metrics;

/// <summary>
/// The agent's instruments on the <see cref="MeterName"/> meter, named like the hub's so one
/// dashboard query covers both. Every measurement carries the device id as tag <c>device</c>.
/// </summary>
public sealed class AgentMetrics : IDisposable
{
    public const string MeterName = "EdgeIoT.EdgeAgent";

    /// <summary>Latency bucket bounds in milliseconds, the same as the hub's.</summary>
    public static readonly IReadOnlyList<double> LatencyBucketsMs =
        [1, 2, 5, 10, 20, 50, 100, 150, 200, 300, 500, 1000, 2000, 5000];

    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?> _device;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _offlineDecisions;

    public AgentMetrics(string deviceId, EventOutbox outbox, HubConnection hub, HubClock clock, HubState state)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(state);

        _meter = new Meter(MeterName);
        _device = new KeyValuePair<string, object?>("device", deviceId);
        _latency = _meter.CreateHistogram(
            "edgeiot.decision.latency", unit: "ms", description: "Scan bytes in to gate command out.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBucketsMs });
        _decisions = _meter.CreateCounter<long>("edgeiot.decisions", unit: "{decision}", description: "Gate decisions by outcome, reason and mode.");
        _offlineDecisions = _meter.CreateCounter<long>(
            "edgeiot.decisions.offline", unit: "{decision}", description: "Decisions the offline policy made, by policy version.");
        _meter.CreateObservableGauge(
            "edgeiot.outbox.depth", () => new Measurement<long>(outbox.Depth, _device), unit: "{event}",
            description: "Events stored on the device and not yet acknowledged by the hub.");
        _meter.CreateObservableGauge(
            "edgeiot.outbox.last_seq", () => new Measurement<long>(outbox.LastSeq, _device), unit: "{event}",
            description: "Highest sequence number given to an event, so the device's events are 1 to this.");
        _meter.CreateObservableGauge(
            "edgeiot.lane.ready", () => new Measurement<long>(IsReady(state, clock) ? 1 : 0, _device),
            description: "1 while the lane holds a key list, snapshot and policy and trusts its clock, so it can decide.");
        _meter.CreateObservableGauge(
            "edgeiot.mqtt.connections", () => new Measurement<long>(hub.IsConnected ? 1 : 0, _device), unit: "{connection}",
            description: "1 while the MQTT connection to the hub is up.");
        _meter.CreateObservableGauge(
            "edgeiot.clock.offset", () => new Measurement<long>(clock.OffsetMs, _device), unit: "ms",
            description: "Device clock minus hub clock from the last time beacon.");
        _meter.CreateObservableGauge(
            "edgeiot.key.age", () => ObserveKeyAge(state, clock), unit: "s",
            description: "Time since the newest key in the installed key list that may sign now started signing.");
    }

    /// <summary>Records one decision of the pipeline.</summary>
    public void Record(AgentDecision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);

        var mode = new KeyValuePair<string, object?>("mode", decision.Mode);
        _decisions.Add(
            1,
            _device,
            new KeyValuePair<string, object?>("outcome", decision.Admitted ? "admit" : "deny"),
            new KeyValuePair<string, object?>("reason", RejectReasons.ToCode(decision.Reason)),
            mode);
        if (decision.Mode == DecisionModes.Offline)
        {
            _offlineDecisions.Add(1, _device, new KeyValuePair<string, object?>("policy_version", decision.PolicyVersion ?? "none"));
        }

        _latency.Record(decision.Latency.TotalMilliseconds, _device, mode);
    }

    public void Dispose() => _meter.Dispose();

    private static bool IsReady(HubState state, HubClock clock) =>
        state.Verifier.Keys is not null && state.Snapshot is not null && state.Policy is not null && clock.IsReliable;

    private IEnumerable<Measurement<double>> ObserveKeyAge(HubState state, HubClock clock)
    {
        KeyList? keys = state.Verifier.Keys;
        if (keys is null)
        {
            yield break;
        }

        uint now = clock.NowUnixSeconds;
        uint? newestStart = null;
        for (int i = 0; i < keys.Count; i++)
        {
            KeyEntry entry = keys.GetEntry(i);
            if (!entry.Revoked && entry.NotBeforeUnixSeconds <= now && now < entry.NotAfterUnixSeconds
                && (newestStart is null || entry.NotBeforeUnixSeconds > newestStart))
            {
                newestStart = entry.NotBeforeUnixSeconds;
            }
        }

        if (newestStart is uint start)
        {
            yield return new Measurement<double>(now - start, _device);
        }
    }
}
