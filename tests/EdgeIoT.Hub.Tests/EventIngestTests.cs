using System.Text;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.Logging;
using MQTTnet;

namespace EdgeIoT.Hub.Tests;

public sealed class EventIngestTests
{
    [Fact]
    public async Task Event_OnPuback_RowAlreadyInDatabase()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        EdgeEvent decision = TestData.Event("gate-1", 1);

        MqttClientPublishResult result = await gate.PublishEventAsync(hub.Options.Venue, decision);
        long rows = HubDatabaseProbe.CountEvents(hub, decision.EventId);

        Assert.True(result.IsSuccess, result.ReasonCode.ToString());
        Assert.Equal(1, rows);
        Assert.True(HubDatabaseProbe.HubReceivedMs(hub, decision.EventId) > 0);
    }

    [Fact]
    public async Task Event_PublishedTwice_StoredOnceAndBothAcknowledged()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        EdgeEvent decision = TestData.Event("gate-1", 7);

        MqttClientPublishResult first = await gate.PublishEventAsync(hub.Options.Venue, decision);
        MqttClientPublishResult second = await gate.PublishEventAsync(hub.Options.Venue, decision);

        Assert.True(first.IsSuccess, first.ReasonCode.ToString());
        Assert.True(second.IsSuccess, second.ReasonCode.ToString());
        Assert.Equal(1, HubDatabaseProbe.CountEvents(hub));
    }

    [Fact]
    public async Task Event_ManyConcurrentPublishes_AllStoredBeforeAck()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");

        MqttClientPublishResult[] results = await Task.WhenAll(Enumerable.Range(1, 200)
            .Select(seq => gate.PublishEventAsync(hub.Options.Venue, TestData.Event("gate-1", seq))));

        Assert.All(results, result => Assert.True(result.IsSuccess, result.ReasonCode.ToString()));
        Assert.Equal(200, HubDatabaseProbe.CountEvents(hub));
    }

    [Fact]
    public async Task Event_MalformedJson_RejectedAndHubKeepsServing()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        string topic = Topics.Event(hub.Options.Venue, "gate-1", EventKinds.Decision);

        MqttClientPublishResult malformed = await gate.PublishBytesAsync(topic, Encoding.UTF8.GetBytes("{\"eventId\": 12,"));
        MqttClientPublishResult valid = await gate.PublishEventAsync(hub.Options.Venue, TestData.Event("gate-1", 2));
        HttpResponseMessage health = await hub.Http.GetAsync("/health");

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, malformed.ReasonCode);
        Assert.True(valid.IsSuccess, valid.ReasonCode.ToString());
        Assert.True(gate.IsConnected);
        Assert.True(health.IsSuccessStatusCode);
        Assert.Equal(1, HubDatabaseProbe.CountEvents(hub));
        Assert.Contains(
            hub.Logs.AtLeast(LogLevel.Warning),
            entry => entry.EventId == 1206 && entry.Message.Contains("gate-1") && entry.Message.Contains("EdgeEvent"));
    }

    [Fact]
    public async Task Event_DeviceIdMismatch_RejectedAsInvalidPayload()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        EdgeEvent forged = TestData.Event("gate-9", 1);

        MqttClientPublishResult result = await gate.PublishBytesAsync(
            Topics.Event(hub.Options.Venue, "gate-1", EventKinds.Decision), ProtocolJson.Serialize(forged));

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        Assert.Equal(0, HubDatabaseProbe.CountEvents(hub));
    }

    [Fact]
    public async Task Event_UnknownKind_Rejected()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        EdgeEvent odd = TestData.Event("gate-1", 1) with { Kind = "party" };

        MqttClientPublishResult result = await gate.PublishBytesAsync(
            Topics.Event(hub.Options.Venue, "gate-1", "party"), ProtocolJson.Serialize(odd));

        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, result.ReasonCode);
        Assert.Equal(0, HubDatabaseProbe.CountEvents(hub));
    }
}
