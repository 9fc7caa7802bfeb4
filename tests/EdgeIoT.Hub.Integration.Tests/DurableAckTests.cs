using EdgeIoT.EndToEnd.Tests;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;

namespace EdgeIoT.Hub.Integration.Tests;

public sealed class DurableAckTests
{
    [Theory]
    [BrokerData(BrokerKind.Embedded)]
    [BrokerData(BrokerKind.External)]
    public async Task Events_AckedThenHubKilled_AllPresentAfterRestart(BrokerKind broker)
    {
        await using HubProcess hub = await HubProcess.StartAsync(broker);
        IMqttClient lane = await hub.ConnectDeviceAsync("lane-1");
        EdgeEvent[] events = Enumerable.Range(1, 40).Select(seq => EventPublisher.Decision("lane-1", seq)).ToArray();

        MqttClientPublishResult[] acks = await Task.WhenAll(
            events.Select(edgeEvent => EventPublisher.PublishAsync(lane, hub.Venue, edgeEvent)));
        await hub.KillAsync();
        long storedWhileDown = EventPublisher.CountStored(hub.DatabasePath, events.Select(edgeEvent => edgeEvent.EventId));
        await hub.RestartAsync();
        await EventPublisher.WaitForStoredAsync(hub, events.Select(edgeEvent => edgeEvent.EventId).ToArray());
        System.Text.Json.JsonElement status = await System.Net.Http.Json.HttpClientJsonExtensions
            .GetFromJsonAsync<System.Text.Json.JsonElement>(hub.Http, "/api/status");

        Assert.All(acks, ack => Assert.True(ack.IsSuccess, ack.ReasonCode.ToString()));
        if (broker == BrokerKind.Embedded)
        {
            Assert.Equal(events.Length, storedWhileDown);
        }

        Assert.Equal(events.Length, status.GetProperty("lanes").GetProperty("checkIns").GetInt64());
    }

    /// <summary>
    /// With the embedded broker the PUBACK follows the commit, so the event is in hub.db while the
    /// hub is down. With Mosquitto the PUBACK comes from the broker, and the hub's persistent
    /// QoS 1 session keeps the event at the broker until the restarted hub stores it.
    /// </summary>
    [Theory]
    [BrokerData(BrokerKind.Embedded, NeedsClients = true)]
    [BrokerData(BrokerKind.External, NeedsClients = true)]
    public async Task MosquittoPub_AckedThenHubKilled_EventPresent(BrokerKind broker)
    {
        await using HubProcess hub = await HubProcess.StartAsync(broker);
        System.Text.Json.JsonElement enrolled = await hub.EnrollAsync("lane-1");
        EdgeEvent decision = EventPublisher.Decision("lane-1", 1);

        // mosquitto_pub -q 1 exits after the PUBACK, so the kill follows the acknowledgement at once.
        ToolResult published = await ToolProcess.RunAsync("mosquitto_pub",
            ["-h", hub.MqttHost, "-p", hub.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-u", "lane-1", "-P", enrolled.GetProperty("mqttPassword").GetString()!, "-V", "mqttv5", "-q", "1",
             "-t", Topics.Event(hub.Venue, "lane-1", EventKinds.Decision),
             "-m", System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(decision))],
            TimeSpan.FromSeconds(30));
        await hub.KillAsync();
        long storedWhileDown = EventPublisher.CountStored(hub.DatabasePath, [decision.EventId]);
        await hub.RestartAsync();
        await EventPublisher.WaitForStoredAsync(hub, [decision.EventId]);

        Assert.True(published.ExitCode == 0, published.ToString());
        Assert.Equal(1, EventPublisher.CountStored(hub.DatabasePath, [decision.EventId]));
        if (broker == BrokerKind.Embedded)
        {
            Assert.Equal(1, storedWhileDown);
        }
    }
}
