using System.Text.Json;
using EdgeIoT.EndToEnd.Tests;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Integration.Tests;

[Trait("Category", "Security")]
public sealed class AclTests
{
    [Fact]
    public async Task Connect_WrongPassword_RejectedAsBadCredentials()
    {
        await using HubProcess hub = await HubProcess.StartAsync();
        await hub.EnrollAsync("lane-1");
        IMqttClient client = hub.NewClient();

        MqttClientConnectResult failure = await client.ConnectAsync(hub.ClientOptions("lane-1", "lane-1", "not-the-password"));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, failure.ResultCode);
    }

    [Fact]
    public async Task Connect_Anonymous_RejectedAsBadCredentials()
    {
        await using HubProcess hub = await HubProcess.StartAsync();
        IMqttClient client = hub.NewClient();

        MqttClientConnectResult failure = await client.ConnectAsync(hub.ClientOptions("anonymous-1", userName: null, password: null));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, failure.ResultCode);
    }

    [Fact]
    public async Task Publish_OtherDevicesTopic_NotAuthorizedAndNotStored()
    {
        await using HubProcess hub = await HubProcess.StartAsync();
        await hub.EnrollAsync("lane-2");
        IMqttClient intruder = await hub.ConnectDeviceAsync("lane-1");
        EdgeEvent forged = EventPublisher.Decision("lane-2", 1);

        MqttClientPublishResult result = await EventPublisher.PublishAsync(intruder, hub.Venue, forged);

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.Equal(0, EventPublisher.CountStored(hub.DatabasePath, [forged.EventId]));
    }

    [Fact]
    public async Task Subscribe_OtherDevicesSubtree_NotAuthorized()
    {
        await using HubProcess hub = await HubProcess.StartAsync();
        await hub.EnrollAsync("lane-2");
        IMqttClient intruder = await hub.ConnectDeviceAsync("lane-1");

        MqttClientSubscribeResult result = await intruder.SubscribeAsync(
            $"edgeiot/v1/{hub.Venue}/devices/lane-2/#", MqttQualityOfServiceLevel.AtLeastOnce);

        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(result.Items).ResultCode);
    }

    [MosquittoClientsFact]
    public async Task MosquittoPub_OwnEventTopic_EventStored()
    {
        await using HubProcess hub = await HubProcess.StartAsync();
        JsonElement enrolled = await hub.EnrollAsync("lane-1");
        EdgeEvent decision = EventPublisher.Decision("lane-1", 7);

        ToolResult result = await MosquittoAsync("mosquitto_pub", hub, "lane-1", enrolled.GetProperty("mqttPassword").GetString()!,
            "-q", "1", "-t", Topics.Event(hub.Venue, "lane-1", EventKinds.Decision),
            "-m", System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(decision)));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(1, EventPublisher.CountStored(hub.DatabasePath, [decision.EventId]));
    }

    [MosquittoClientsFact]
    public async Task MosquittoPub_OtherDevicesTopic_NotStored()
    {
        await using HubProcess hub = await HubProcess.StartAsync();
        JsonElement enrolled = await hub.EnrollAsync("lane-1");
        await hub.EnrollAsync("lane-2");
        EdgeEvent forged = EventPublisher.Decision("lane-2", 1);

        ToolResult result = await MosquittoAsync("mosquitto_pub", hub, "lane-1", enrolled.GetProperty("mqttPassword").GetString()!,
            "-q", "1", "-t", Topics.Event(hub.Venue, "lane-2", EventKinds.Decision),
            "-m", System.Text.Encoding.UTF8.GetString(ProtocolJson.Serialize(forged)));

        Assert.Contains("Not authorized", result.Output + result.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, EventPublisher.CountStored(hub.DatabasePath, [forged.EventId]));
    }

    [MosquittoClientsFact]
    public async Task MosquittoSub_WrongPassword_ConnectionRefused()
    {
        await using HubProcess hub = await HubProcess.StartAsync();
        await hub.EnrollAsync("lane-1");

        ToolResult result = await MosquittoAsync("mosquitto_sub", hub, "lane-1", "not-the-password",
            "-t", Topics.Time(hub.Venue), "-C", "1", "-W", "10");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("bad user name or password", result.Output + result.Error, StringComparison.OrdinalIgnoreCase);
    }

    [MosquittoClientsFact]
    public async Task MosquittoSub_OperatorAccount_ReadsSignedTimeBeacon()
    {
        await using HubProcess hub = await HubProcess.StartAsync();

        ToolResult result = await MosquittoAsync("mosquitto_sub", hub, "operator", hub.OperatorPassword,
            "-t", Topics.Time(hub.Venue), "-C", "1", "-W", "10");
        TimeBeacon beacon = ProtocolJson.Deserialize<TimeBeacon>(System.Text.Encoding.UTF8.GetBytes(result.Output.Trim()));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(16, beacon.Kid?.Length);
        Assert.Equal(128, beacon.Signature?.Length);
    }

    private static Task<ToolResult> MosquittoAsync(string tool, HubProcess hub, string user, string password, params string[] arguments) =>
        ToolProcess.RunAsync(
            tool,
            ["-h", hub.MqttHost, "-p", hub.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-u", user, "-P", password, "-V", "mqttv5", "-i", $"{user}-{tool}", .. arguments],
            TimeSpan.FromSeconds(30));
}
