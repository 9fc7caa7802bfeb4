using System.Buffers;
using System.Text.Json;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Tests;

public sealed class OperatorTests
{
    [Fact]
    [Trait("Category", "Security")]
    public async Task Operator_WatchesAll_CannotPublish()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        JsonElement credentials = JsonDocument.Parse(File.ReadAllText(Path.Combine(hub.DataDirectory, "operator.json"))).RootElement;
        IMqttClient watcher = hub.NewClient();
        await watcher.ConnectAsync(hub.ClientOptions(
            "watcher", credentials.GetProperty("username").GetString(), credentials.GetProperty("password").GetString()));
        string statusTopic = Topics.Status(hub.Options.Venue, "gate-1");
        var offline = new TaskCompletionSource<DeviceStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.ApplicationMessageReceivedAsync += args =>
        {
            if (args.ApplicationMessage.Topic == statusTopic)
            {
                var status = ProtocolJson.Deserialize<DeviceStatus>(args.ApplicationMessage.Payload.ToArray());
                if (status.State == "offline")
                {
                    offline.TrySetResult(status);
                }
            }

            return Task.CompletedTask;
        };
        MqttClientSubscribeResult subscribed = await watcher.SubscribeAsync("edgeiot/#", MqttQualityOfServiceLevel.AtLeastOnce);

        var enrolled = await hub.EnrollAsync("gate-1");
        IMqttClient gate = hub.NewClient();
        var will = new DeviceStatus { DeviceId = "gate-1", DeviceClass = "agent", State = "offline" };
        await gate.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", hub.Endpoints.MqttPort)
            .WithClientId("gate-1")
            .WithCredentials(enrolled.MqttUsername, enrolled.MqttPassword)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithWillTopic(statusTopic)
            .WithWillPayload(ProtocolJson.Serialize(will))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        gate.Dispose();
        DeviceStatus last = await offline.Task.WaitAsync(HubHarness.Timeout);
        MqttClientPublishResult published = await watcher.PublishBytesAsync(Topics.Keys(hub.Options.Venue), [1, 2, 3]);

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, subscribed.Items.Single().ResultCode);
        Assert.Equal("gate-1", last.DeviceId);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, published.ReasonCode);
    }
}
