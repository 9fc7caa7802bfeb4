using System.Buffers;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Tests;

public sealed class DistributionTests
{
    [Fact]
    public async Task Snapshot_AfterImport_RetainedForNewSubscribers()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests(
            "PX-1,A One,a@example.test,General Admission,standard,paid,,1",
            "PX-2,B Two,b@example.test,Weekend Pass,member,refunded,,1"));
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");

        byte[] payload = await ReceiveFirstAsync(gate, Topics.Snapshot(hub.Options.Venue));
        EntitlementSnapshot snapshot = EntitlementSnapshot.TryParse(payload, out string error);

        Assert.True(snapshot is not null, error);
        Assert.Equal(1u, snapshot.Version);
        Assert.Equal(2, snapshot.Count);
        Assert.True(snapshot.Find(1).SingleEntry);
        Assert.True(snapshot.Find(2).Cancelled);
        Assert.False(snapshot.Find(2).SingleEntry);
    }

    [Fact]
    public async Task TimeBeacon_Subscribed_ArrivesWithHubClock()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");

        byte[] payload = await ReceiveFirstAsync(gate, Topics.Time(hub.Options.Venue));
        TimeBeacon beacon = ProtocolJson.Deserialize<TimeBeacon>(payload);

        long skew = Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - beacon.HubTimeMs);
        Assert.True(skew < 10_000, $"beacon is {skew} ms away from the test clock");
    }

    [Fact]
    public async Task Status_DeviceConnectsAndLeaves_LastSeenRecorded()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        var status = new DeviceStatus { DeviceId = "gate-1", DeviceClass = "agent", State = "online", TimeMs = 1 };

        MqttClientPublishResult result = await gate.PublishBytesAsync(
            Topics.Status(hub.Options.Venue, "gate-1"), ProtocolJson.Serialize(status));
        var devices = (Storage.DeviceStore)hub.App.Services.GetService(typeof(Storage.DeviceStore))!;
        Storage.DeviceRecord record = devices.ReadAll().Single(device => device.DeviceId == "gate-1");

        Assert.True(result.ReasonCode is MqttClientPublishReasonCode.Success or MqttClientPublishReasonCode.NoMatchingSubscribers);
        Assert.Equal("online", record.State);
        Assert.NotNull(record.LastSeenMs);
    }

    private static async Task<byte[]> ReceiveFirstAsync(IMqttClient client, string topic)
    {
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += args =>
        {
            if (args.ApplicationMessage.Topic == topic)
            {
                received.TrySetResult(args.ApplicationMessage.Payload.ToArray());
            }

            return Task.CompletedTask;
        };

        await client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce);
        return await received.Task.WaitAsync(HubHarness.Timeout);
    }
}
