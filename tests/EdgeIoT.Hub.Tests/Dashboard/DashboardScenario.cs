using EdgeIoT.Protocol.Messaging;
using MQTTnet;

namespace EdgeIoT.Hub.Tests.Dashboard;

/// <summary>
/// Brings a hub into a known state through its real interfaces (HTTP import, MQTT publishes by
/// enrolled devices), so a test can compare what the dashboard shows with what happened.
/// </summary>
public static class DashboardScenario
{
    public const int Admitted = 3;
    public const int Denied = 1;
    public const int Offline = 1;
    public const int Disputes = 1;
    public const double P50Ms = 4;
    public const double P99Ms = 12;
    public const long CheckInsQueued = 4;
    public const long TelemetryQueued = 1;
    public const long Lane2ClockOffsetMs = 7000;

    public static async Task RunAsync(HubHarness hub)
    {
        ArgumentNullException.ThrowIfNull(hub);

        HttpResponseMessage imported = await hub.ImportAsync(TestData.Guests(
            "PX-1,Ana One,ana@example.test,General Admission,standard,paid,,0",
            "PX-2,Ben Two,ben@example.test,General Admission,standard,paid,,0",
            "PX-3,Cai Three,cai@example.test,General Admission,standard,paid,,0",
            "PX-4,Dee Four,dee@example.test,General Admission,standard,paid,,0"));
        imported.EnsureSuccessStatusCode();
        IMqttClient lane1 = await hub.ConnectDeviceAsync("lane-1");
        IMqttClient lane2 = await hub.ConnectDeviceAsync("lane-2");
        await hub.EnrollAsync("esp32-1", "firmware");

        await PublishAsync(hub, lane1, Decision("lane-1", 1, 1, "admit", "none", "online", 3));
        await PublishAsync(hub, lane1, Decision("lane-1", 2, 2, "admit", "none", "online", 5));
        await PublishAsync(hub, lane1, Decision("lane-1", 3, 3, "deny", "expired", "online", 4));

        // The same single-entry ticket admitted again by a lane cut off from the hub: a dispute.
        await PublishAsync(hub, lane2, Decision("lane-2", 1, 1, "admit", "none", "offline", 12));
        await PublishAsync(hub, lane2, TestData.Event("lane-2", 2, EventKinds.Status) with { Detail = "paper out: receipt printer" });

        await PublishAsync(hub, lane1, Topics.Telemetry(hub.Options.Venue, "lane-1"), new DeviceTelemetry
        {
            DeviceId = "lane-1", OutboxDepth = 3, ClockOffsetMs = 12, HubConnected = true,
        });
        await PublishAsync(hub, lane2, Topics.Telemetry(hub.Options.Venue, "lane-2"), new DeviceTelemetry
        {
            DeviceId = "lane-2", OutboxDepth = 0, ClockOffsetMs = Lane2ClockOffsetMs, HubConnected = true,
        });
    }

    private static EdgeEvent Decision(
        string deviceId, long seq, long entitlementId, string outcome, string reason, string mode, double latencyMs) =>
        TestData.Event(deviceId, seq) with
        {
            Outcome = outcome,
            Reason = reason,
            Mode = mode,
            EntitlementId = entitlementId,
            SingleEntry = true,
            LatencyMicros = (long)Math.Round(latencyMs * 1000),
        };

    private static async Task PublishAsync(HubHarness hub, IMqttClient client, EdgeEvent edgeEvent)
    {
        MqttClientPublishResult result = await client.PublishEventAsync(hub.Options.Venue, edgeEvent);
        Assert.True(result.IsSuccess, $"{edgeEvent.EventId}: {result.ReasonCode}");
    }

    private static async Task PublishAsync(HubHarness hub, IMqttClient client, string topic, DeviceTelemetry telemetry)
    {
        // QoS 1 here, so the hub has handled the sample when the PUBACK arrives.
        MqttClientPublishResult result = await client.PublishBytesAsync(topic, ProtocolJson.Serialize(telemetry));
        Assert.True(result.IsSuccess, $"telemetry of {telemetry.DeviceId}: {result.ReasonCode}");
    }
}
