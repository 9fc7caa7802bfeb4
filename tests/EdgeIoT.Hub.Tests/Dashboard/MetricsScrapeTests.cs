using System.Globalization;
using EdgeIoT.Hub.Metrics;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;

namespace EdgeIoT.Hub.Tests.Dashboard;

[Collection(MetricsCollection.Name)]
public sealed class MetricsScrapeTests
{
    private const string LatencyBucket = "edgeiot_decision_latency_milliseconds_bucket";

    [Fact]
    public async Task Scrape_AfterDecisions_BucketsMatchLatencies()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        double[] latenciesMs = [0.8, 1.5, 3, 4.9, 12, 12, 45, 180, 250, 1500];
        for (int i = 0; i < latenciesMs.Length; i++)
        {
            EdgeEvent decision = Decision("gate-1", i + 1, "admit", "none", "online", latenciesMs[i]);
            MqttClientPublishResult result = await gate.PublishEventAsync(hub.Options.Venue, decision);
            Assert.True(result.IsSuccess, result.ReasonCode.ToString());
        }

        IReadOnlyList<PrometheusSample> samples = await ScrapeAsync(hub);

        foreach (double bound in HubMetrics.LatencyBucketsMs)
        {
            string le = bound.ToString(CultureInfo.InvariantCulture);
            PrometheusSample bucket = Assert.Single(samples, sample =>
                sample.Name == LatencyBucket && sample.Has(("device", "gate-1"), ("mode", "online"), ("le", le)));
            Assert.Equal(latenciesMs.Count(latency => latency <= bound), bucket.Value);
        }

        PrometheusSample infinity = Assert.Single(samples, sample =>
            sample.Name == LatencyBucket && sample.Has(("device", "gate-1"), ("le", "+Inf")));
        Assert.Equal(latenciesMs.Length, infinity.Value);
        PrometheusSample sum = Assert.Single(samples, sample =>
            sample.Name == "edgeiot_decision_latency_milliseconds_sum" && sample.Has(("device", "gate-1")));
        Assert.Equal(latenciesMs.Sum(), sum.Value, precision: 6);
    }

    [Fact]
    public async Task Scrape_AfterDecisions_CountersMatchOutcomes()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient laneA = await hub.ConnectDeviceAsync("lane-a");
        IMqttClient laneB = await hub.ConnectDeviceAsync("lane-b");
        EdgeEvent[] decisions =
        [
            Decision("lane-a", 1, "admit", "none", "online", 3),
            Decision("lane-a", 2, "admit", "none", "online", 4),
            Decision("lane-a", 3, "deny", "already_admitted", "online", 5),
            Decision("lane-b", 1, "admit", "none", "offline", 2) with { PolicyVersion = "venue-default@3#1a2b3c4d" },
            Decision("lane-b", 2, "deny", "bad_signature", "local", 1),
        ];
        foreach (EdgeEvent decision in decisions)
        {
            IMqttClient client = decision.DeviceId == "lane-a" ? laneA : laneB;
            Assert.True((await client.PublishEventAsync(hub.Options.Venue, decision)).IsSuccess);
        }

        // A device resends an event when a PUBACK was lost; the hub must not count it again.
        Assert.True((await laneA.PublishEventAsync(hub.Options.Venue, decisions[0])).IsSuccess);

        IReadOnlyList<PrometheusSample> samples = await ScrapeAsync(hub);

        Assert.Equal(2, Counter(samples, "edgeiot_decisions_total", ("device", "lane-a"), ("outcome", "admit")));
        Assert.Equal(1, Counter(samples, "edgeiot_decisions_total", ("device", "lane-a"), ("reason", "already_admitted")));
        Assert.Equal(1, Counter(samples, "edgeiot_decisions_total", ("device", "lane-b"), ("mode", "offline")));
        Assert.Equal(1, Counter(samples, "edgeiot_decisions_total", ("device", "lane-b"), ("reason", "bad_signature")));
        Assert.Equal(1, Counter(
            samples, "edgeiot_decisions_offline_total", ("device", "lane-b"), ("policy_version", "venue-default@3#1a2b3c4d")));
        Assert.Equal(0, Counter(samples, "edgeiot_decisions_offline_total", ("device", "lane-a")));
        Assert.Equal(2, Counter(samples, "edgeiot_mqtt_connections"));
        Assert.Equal(5, Counter(samples, "edgeiot_queue_depth", ("lane", "checkIns")));
        Assert.Equal(0, Counter(samples, "edgeiot_queue_dead_letters"));
    }

    [Fact]
    public async Task Scrape_AfterTelemetry_ShowsDeviceGauges()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        var telemetry = new DeviceTelemetry { DeviceId = "gate-1", OutboxDepth = 42, ClockOffsetMs = -1250, HubConnected = true };

        await gate.PublishBytesAsync(Topics.Telemetry(hub.Options.Venue, "gate-1"), ProtocolJson.Serialize(telemetry));
        // Telemetry is QoS 0 in production but this client publishes QoS 1, so the hub has handled it here.
        IReadOnlyList<PrometheusSample> samples = await ScrapeAsync(hub);

        Assert.Equal(-1250, Counter(samples, "edgeiot_device_clock_offset_milliseconds", ("device", "gate-1")));
        Assert.Equal(42, Counter(samples, "edgeiot_device_outbox_depth", ("device", "gate-1")));
        double keyAge = Counter(samples, "edgeiot_key_age_seconds");
        Assert.InRange(keyAge, 0, hub.Options.Keys.RotationInterval.TotalSeconds);
    }

    internal static EdgeEvent Decision(string deviceId, long seq, string outcome, string reason, string mode, double latencyMs) =>
        TestData.Event(deviceId, seq) with
        {
            Outcome = outcome,
            Reason = reason,
            Mode = mode,
            LatencyMicros = (long)Math.Round(latencyMs * 1000),
        };

    private static async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync(HubHarness hub)
    {
        HttpResponseMessage response = await hub.Http.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        return PrometheusSample.Parse(await response.Content.ReadAsStringAsync());
    }

    private static double Counter(IReadOnlyList<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(sample => sample.Name == name && sample.Has(labels)).Sum(sample => sample.Value);
}
