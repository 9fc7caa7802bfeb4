using System.Buffers;
using System.Globalization;
using EdgeIoT.Hub.Api;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Tests;

[Trait("Category", "Security")]
public sealed class BrokerSecurityTests
{
    [Fact]
    public async Task Broker_LoopbackBind_NoIpv6WildcardListener()
    {
        // Linux lists IPv6 sockets in /proc/net/tcp6. Other systems have no such file to read.
        const string Sockets = "/proc/net/tcp6";
        if (!File.Exists(Sockets))
        {
            return;
        }

        await using HubHarness hub = await HubHarness.StartAsync();

        string wildcard = string.Create(CultureInfo.InvariantCulture, $"{new string('0', 32)}:{hub.Endpoints.MqttPort:X4}");
        string[] listening = File.ReadAllLines(Sockets)
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields[3] == "0A")
            .Select(fields => fields[1])
            .ToArray();
        Assert.DoesNotContain(wildcard, listening);
    }

    [Fact]
    public async Task Connect_WrongPassword_RejectedAndLogged()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.EnrollAsync("gate-1");
        IMqttClient client = hub.NewClient();

        MqttClientConnectResult failure = await client.ConnectAsync(hub.ClientOptions("gate-1", "gate-1", "not-the-password"));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, failure.ResultCode);
        Assert.False(client.IsConnected);
        Assert.Contains(hub.Logs.AtLeast(LogLevel.Warning), entry => entry.EventId == 1202 && entry.Message.Contains("gate-1"));
    }

    [Fact]
    public async Task Connect_Anonymous_Rejected()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient client = hub.NewClient();

        MqttClientConnectResult failure = await client.ConnectAsync(hub.ClientOptions("anonymous-1", userName: null, password: null));

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, failure.ResultCode);
    }

    [Fact]
    public async Task Connect_UnknownDevice_BadUserNameOrPassword()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient client = hub.NewClient();

        MqttClientConnectResult failure = await client.ConnectAsync(hub.ClientOptions("gate-9", "gate-9", "any-password"));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, failure.ResultCode);
    }

    [Fact]
    public async Task Connect_HubClientId_ClientIdentifierNotValid()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        EnrollDeviceResponse enrolled = await hub.EnrollAsync("gate-1");
        IMqttClient client = hub.NewClient();

        MqttClientConnectResult failure = await client.ConnectAsync(hub.ClientOptions("edgeiot-hub", "gate-1", enrolled.MqttPassword));

        Assert.Equal(MqttClientConnectResultCode.ClientIdentifierNotValid, failure.ResultCode);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Connect_AfterReenrollment_OldPasswordRejected()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        EnrollDeviceResponse first = await hub.EnrollAsync("gate-1");
        EnrollDeviceResponse second = await hub.EnrollAsync("gate-1");

        MqttClientConnectResult failure = await hub.NewClient().ConnectAsync(
            hub.ClientOptions("gate-1", "gate-1", first.MqttPassword));
        MqttClientConnectResult result = await hub.NewClient().ConnectAsync(
            hub.ClientOptions("gate-1", "gate-1", second.MqttPassword));

        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, failure.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
    }

    [Fact]
    public async Task Publish_OtherDevicesSubtree_NotAuthorizedAndLogged()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        EdgeEvent forged = TestData.Event("gate-2", 1);

        MqttClientPublishResult result = await gate.PublishBytesAsync(
            Topics.Event(hub.Options.Venue, "gate-2", EventKinds.Decision), ProtocolJson.Serialize(forged));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);
        Assert.True(gate.IsConnected);
        Assert.Equal(0, HubDatabaseProbe.CountEvents(hub));
        Assert.Contains(
            hub.Logs.AtLeast(LogLevel.Warning),
            entry => entry.EventId == 1204 && entry.Message.Contains("gate-1") && entry.Message.Contains("gate-2"));
    }

    [Fact]
    public async Task Subscribe_OtherDevicesSubtree_NotAuthorized()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        string venue = hub.Options.Venue;

        MqttClientSubscribeResult result = await gate.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"{Topics.Root}/{venue}/devices/gate-2/#")
            .WithTopicFilter($"{Topics.Root}/{venue}/devices/gate-1/#")
            .WithTopicFilter(Topics.Keys(venue))
            .WithTopicFilter($"{Topics.Root}/{venue}/#")
            .Build());

        var codes = result.Items.Select(item => item.ResultCode).ToArray();
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, codes[0]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS0, codes[1]);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS0, codes[2]);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, codes[3]);
    }

    [Fact]
    public async Task Publish_PayloadOverLimit_RejectedWithoutDisconnect()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options => options.Mqtt.MaxPayloadBytes = 1024);
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");

        MqttClientPublishResult result = await gate.PublishBytesAsync(
            Topics.Telemetry(hub.Options.Venue, "gate-1"), new byte[4096]);

        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, result.ReasonCode);
        Assert.True(gate.IsConnected);
        Assert.Contains(hub.Logs.AtLeast(LogLevel.Warning), entry => entry.EventId == 1205);
    }

    [Fact]
    public async Task Subscribe_KeysTopic_ReceivesRetainedSignedKeyList()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.ApplicationMessageReceivedAsync += args =>
        {
            received.TrySetResult(args.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };

        await gate.SubscribeAsync(Topics.Keys(hub.Options.Venue), MqttQualityOfServiceLevel.AtLeastOnce);
        byte[] signed = await received.Task.WaitAsync(HubHarness.Timeout);

        var keys = Firmware.Verification.KeyList.TryParseSigned(
            signed, Convert.FromBase64String(hub.Endpoints.RootPublicKey), Protocol.Crypto.NSecSignatureVerifier.Instance,
            out string error);
        Assert.True(keys is not null, error);
        Assert.Equal(hub.Options.EventId, keys.EventId);
        // The current and the next edge key, and the event key.
        Assert.Equal(3, keys.Count);
    }
}
