using System.Text.Json;
using EdgeIoT.EndToEnd.Tests;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Integration.Tests;

[Trait("Category", "Security")]
public sealed class AclTests
{
    [Theory]
    [BrokerData(BrokerKind.Embedded)]
    [BrokerData(BrokerKind.External)]
    public async Task Connect_WrongPassword_Rejected(BrokerKind broker)
    {
        await using HubProcess hub = await HubProcess.StartAsync(broker);
        await hub.EnrollAsync("lane-1");
        IMqttClient client = hub.NewClient();

        MqttClientConnectResult failure = await client.ConnectAsync(hub.ClientOptions("lane-1", "lane-1", "not-the-password"));

        Assert.Equal(LoginRejection(broker), failure.ResultCode);
    }

    [Theory]
    [BrokerData(BrokerKind.Embedded)]
    [BrokerData(BrokerKind.External)]
    public async Task Connect_Anonymous_Rejected(BrokerKind broker)
    {
        await using HubProcess hub = await HubProcess.StartAsync(broker);
        IMqttClient client = hub.NewClient();

        MqttClientConnectResult failure = await client.ConnectAsync(hub.ClientOptions("anonymous-1", userName: null, password: null));

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, failure.ResultCode);
    }

    [Theory]
    [BrokerData(BrokerKind.Embedded)]
    [BrokerData(BrokerKind.External)]
    public async Task Publish_OtherDevicesTopic_NotAuthorizedAndNotStored(BrokerKind broker)
    {
        await using HubProcess hub = await HubProcess.StartAsync(broker);
        await hub.EnrollAsync("lane-2");
        IMqttClient intruder = await hub.ConnectDeviceAsync("lane-1");
        EdgeEvent forged = EventPublisher.Decision("lane-2", 1);

        MqttClientPublishResult result = await EventPublisher.PublishAsync(intruder, hub.Venue, forged);

        MqttClientPublishResult own = await EventPublisher.PublishAsync(intruder, hub.Venue, EventPublisher.Decision("lane-1", 1));
        await EventPublisher.WaitForStoredAsync(hub, ["lane-1:1"]);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.True(own.IsSuccess, own.ReasonCode.ToString());
        Assert.Equal(0, EventPublisher.CountStored(hub.DatabasePath, [forged.EventId]));
    }

    [Theory]
    [BrokerData(BrokerKind.Embedded)]
    [BrokerData(BrokerKind.External)]
    public async Task Subscribe_OtherDevicesSubtree_ReceivesNothing(BrokerKind broker)
    {
        await using HubProcess hub = await HubProcess.StartAsync(broker);
        IMqttClient owner = await hub.ConnectDeviceAsync("lane-2");
        IMqttClient intruder = await hub.ConnectDeviceAsync("lane-1");
        string ownStatus = Topics.Status(hub.Venue, "lane-1");
        var received = new List<string>();
        var ownArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        intruder.ApplicationMessageReceivedAsync += args =>
        {
            lock (received)
            {
                received.Add(args.ApplicationMessage.Topic);
            }

            if (args.ApplicationMessage.Topic == ownStatus)
            {
                ownArrived.TrySetResult();
            }

            return Task.CompletedTask;
        };

        MqttClientSubscribeResult result = await intruder.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"edgeiot/v1/{hub.Venue}/devices/lane-2/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(ownStatus, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        await owner.PublishAsync(Status(Topics.Status(hub.Venue, "lane-2"), "lane-2"));

        // The broker forwards in the order it receives, so once lane-1's own later status
        // arrives, anything of lane-2's that got through would have arrived before it.
        await intruder.PublishAsync(Status(ownStatus, "lane-1"));
        await ownArrived.Task.WaitAsync(HubProcess.Timeout);

        if (broker == BrokerKind.Embedded)
        {
            // Mosquitto 2.0.11 grants the SUBACK and applies its read ACL when it delivers.
            Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, result.Items.First().ResultCode);
        }

        lock (received)
        {
            Assert.DoesNotContain(received, topic => topic.Contains("/lane-2/", StringComparison.Ordinal));
        }
    }

    [Theory]
    [BrokerData(BrokerKind.Embedded, NeedsClients = true)]
    [BrokerData(BrokerKind.External, NeedsClients = true)]
    public async Task MosquittoPub_OwnEventTopic_EventStored(BrokerKind broker)
    {
        await using HubProcess hub = await HubProcess.StartAsync(broker);
        JsonElement enrolled = await hub.EnrollAsync("lane-1");
        EdgeEvent decision = EventPublisher.Decision("lane-1", 7);

        ToolResult result = await MosquittoAsync("mosquitto_pub", hub, "lane-1", enrolled.GetProperty("mqttPassword").GetString()!,
            "-q", "1", "-t", Topics.Event(hub.Venue, "lane-1", EventKinds.Decision),
            "-m", System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(decision)));

        Assert.True(result.ExitCode == 0, result.ToString());
        await EventPublisher.WaitForStoredAsync(hub, [decision.EventId]);
    }

    [Theory]
    [BrokerData(BrokerKind.Embedded, NeedsClients = true)]
    [BrokerData(BrokerKind.External, NeedsClients = true)]
    public async Task MosquittoPub_OtherDevicesTopic_NotStored(BrokerKind broker)
    {
        await using HubProcess hub = await HubProcess.StartAsync(broker);
        JsonElement enrolled = await hub.EnrollAsync("lane-1");
        await hub.EnrollAsync("lane-2");
        EdgeEvent forged = EventPublisher.Decision("lane-2", 1);

        ToolResult result = await MosquittoAsync("mosquitto_pub", hub, "lane-1", enrolled.GetProperty("mqttPassword").GetString()!,
            "-q", "1", "-t", Topics.Event(hub.Venue, "lane-2", EventKinds.Decision),
            "-m", System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(forged)));

        Assert.Contains("Not authorized", result.Output + result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, EventPublisher.CountStored(hub.DatabasePath, [forged.EventId]));
    }

    [Theory]
    [BrokerData(BrokerKind.Embedded, NeedsClients = true)]
    [BrokerData(BrokerKind.External, NeedsClients = true)]
    public async Task MosquittoSub_WrongPassword_ConnectionRefused(BrokerKind broker)
    {
        await using HubProcess hub = await HubProcess.StartAsync(broker);
        await hub.EnrollAsync("lane-1");

        ToolResult result = await MosquittoAsync("mosquitto_sub", hub, "lane-1", "not-the-password",
            "-t", Topics.Time(hub.Venue), "-C", "1", "-W", "10");

        Assert.NotEqual(0, result.ExitCode);
        string expected = broker == BrokerKind.Embedded ? "bad user name or password" : "not authorized";
        Assert.Contains(expected, result.Output + result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [BrokerData(BrokerKind.Embedded, NeedsClients = true)]
    [BrokerData(BrokerKind.External, NeedsClients = true)]
    public async Task MosquittoSub_OperatorAccount_ReadsSignedTimeBeacon(BrokerKind broker)
    {
        await using HubProcess hub = await HubProcess.StartAsync(broker);

        ToolResult result = await MosquittoAsync("mosquitto_sub", hub, "operator", hub.OperatorPassword,
            "-t", Topics.Time(hub.Venue), "-C", "1", "-W", "10");
        TimeBeacon beacon = ProtocolJson.Deserialize<TimeBeacon>(System.Text.Encoding.UTF8.GetBytes(result.Output.Trim()));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(16, beacon.Kid?.Length);
        Assert.Equal(128, beacon.Signature?.Length);
    }

    // MQTT 5 section 3.2.2.2 gives 0x86 (Bad User Name or Password) for a password the server does
    // not accept, which the embedded broker sends. Mosquitto 2.0.11 sends 0x87 (Not authorized).
    private static MqttClientConnectResultCode LoginRejection(BrokerKind broker) => broker == BrokerKind.Embedded
        ? MqttClientConnectResultCode.BadUserNameOrPassword
        : MqttClientConnectResultCode.NotAuthorized;

    private static MqttApplicationMessage Status(string topic, string deviceId) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(ProtocolJson.Serialize(new DeviceStatus { DeviceId = deviceId, DeviceClass = "agent", State = "online" }))
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();

    private static Task<ToolResult> MosquittoAsync(string tool, HubProcess hub, string user, string password, params string[] arguments) =>
        ToolProcess.RunAsync(
            tool,
            ["-h", hub.MqttHost, "-p", hub.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-u", user, "-P", password, "-V", "mqttv5", "-i", $"{user}-{tool}", .. arguments],
            TimeSpan.FromSeconds(30));
}
