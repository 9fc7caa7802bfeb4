using System.Buffers;
using System.Net.Http.Json;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Hub.Api;
using EdgeIoT.Hub.Storage;
using EdgeIoT.LoadBench;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// The hub in External mode against a real Mosquitto process: Mosquitto authenticates devices
/// with the password and ACL files the hub writes, and the hub stores events, responds to
/// online checks and publishes the retained distribution topics as a client.
/// </summary>
public sealed class ExternalBrokerTests
{
    [MosquittoFact]
    [Trait("Category", "Security")]
    public async Task Connect_WrongPassword_RejectedByMosquitto()
    {
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync();
        await using HubHarness hub = await HubHarness.StartAsync(mosquitto.ConfigureHub);
        await hub.ConnectDeviceAsync("gate-1");

        MqttClientConnectResult wrong = await hub.NewClient().ConnectAsync(hub.ClientOptions("gate-1b", "gate-1", "not-the-password"));
        MqttClientConnectResult anonymous = await hub.NewClient().ConnectAsync(hub.ClientOptions("anonymous-1", null, null));

        Assert.NotEqual(MqttClientConnectResultCode.Success, wrong.ResultCode);
        Assert.NotEqual(MqttClientConnectResultCode.Success, anonymous.ResultCode);
    }

    [MosquittoFact]
    [Trait("Category", "Security")]
    public async Task Publish_OtherDevicesSubtree_NotAuthorizedAndNotStored()
    {
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync();
        await using HubHarness hub = await HubHarness.StartAsync(mosquitto.ConfigureHub);
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        await hub.EnrollAsync("gate-2");
        string venue = hub.Options.Venue;
        Task stored = WaitForEventsAsync(hub, 1);

        MqttClientPublishResult forged = await gate.PublishBytesAsync(
            Topics.Event(venue, "gate-2", EventKinds.Decision), ProtocolJson.Serialize(TestData.Event("gate-2", 1)));
        MqttClientPublishResult own = await gate.PublishEventAsync(venue, TestData.Event("gate-1", 1));
        await stored;

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, forged.ReasonCode);
        Assert.True(own.IsSuccess, own.ReasonCode.ToString());
        Assert.Equal(0, HubDatabaseProbe.CountEvents(hub, "gate-2:1"));
        Assert.Equal(1, HubDatabaseProbe.CountEvents(hub, "gate-1:1"));
    }

    [MosquittoFact]
    [Trait("Category", "Security")]
    public async Task Subscribe_OtherDevicesSubtree_ReceivesNothingFromIt()
    {
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync();
        await using HubHarness hub = await HubHarness.StartAsync(mosquitto.ConfigureHub);
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        await hub.EnrollAsync("gate-2");
        string venue = hub.Options.Venue;
        var received = new List<string>();
        var ownArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.ApplicationMessageReceivedAsync += args =>
        {
            lock (received)
            {
                received.Add(args.ApplicationMessage.Topic);
            }

            if (args.ApplicationMessage.Topic == Topics.CheckResponse(venue, "gate-1"))
            {
                ownArrived.TrySetResult();
            }

            return Task.CompletedTask;
        };

        // Mosquitto 2.0.11 grants the SUBACK and applies the read ACL when it delivers, so the
        // proof is that nothing of gate-2 arrives before a later message for gate-1 does.
        await gate.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"{Topics.Root}/{venue}/devices/gate-2/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter($"{Topics.Root}/{venue}/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter($"{Topics.Root}/{venue}/devices/gate-1/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Mqtt.HubBroker broker = hub.App.Services.GetRequiredService<Mqtt.HubBroker>();
        await broker.PublishAsync(Message(Topics.CheckResponse(venue, "gate-2")));
        await broker.PublishAsync(Message(Topics.CheckResponse(venue, "gate-1")));
        await ownArrived.Task.WaitAsync(HubHarness.Timeout);

        lock (received)
        {
            Assert.DoesNotContain(received, topic => topic.Contains("/gate-2/", StringComparison.Ordinal));
            Assert.Contains(Topics.CheckResponse(venue, "gate-1"), received);
        }
    }

    [MosquittoFact]
    public async Task Event_ManyConcurrentPublishes_AllStoredOnce()
    {
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync();
        await using HubHarness hub = await HubHarness.StartAsync(mosquitto.ConfigureHub);
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        Task stored = WaitForEventsAsync(hub, 200);

        MqttClientPublishResult[] results = await Task.WhenAll(Enumerable.Range(1, 200)
            .Select(seq => gate.PublishEventAsync(hub.Options.Venue, TestData.Event("gate-1", seq))));
        MqttClientPublishResult repeated = await gate.PublishEventAsync(hub.Options.Venue, TestData.Event("gate-1", 7));
        await stored;

        Assert.All(results, result => Assert.True(result.IsSuccess, result.ReasonCode.ToString()));
        Assert.True(repeated.IsSuccess, repeated.ReasonCode.ToString());
        Assert.Equal(200, HubDatabaseProbe.CountEvents(hub));
    }

    [MosquittoFact]
    public async Task Event_PublishedWhileHubAway_StoredAfterHubReturns()
    {
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync();
        string directory;
        string password;
        EnrollDeviceResponse enrolled;
        await using (HubHarness first = await HubHarness.StartAsync(mosquitto.ConfigureHub))
        {
            first.KeepData = true;
            directory = first.DataDirectory;
            password = first.Options.Mqtt.External.Password!;
            enrolled = await first.EnrollAsync("gate-1");
            await first.ConnectDeviceAsync("gate-0");
        }

        // The hub is gone, but its persistent session at Mosquitto queues the events.
        using IMqttClient gate = new MqttClientFactory().CreateMqttClient();
        await gate.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", mosquitto.Port)
            .WithClientId("gate-1")
            .WithCredentials(enrolled.MqttUsername, enrolled.MqttPassword)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .Build());
        MqttClientPublishResult[] results = await Task.WhenAll(Enumerable.Range(1, 50)
            .Select(seq => gate.PublishEventAsync("popup", TestData.Event("gate-1", seq))));
        await using HubHarness second = await HubHarness.StartAsync(
            options =>
            {
                mosquitto.ConfigureHub(options);
                options.Mqtt.External.Password = password;
            },
            dataDirectory: directory);
        await WaitForEventsAsync(second, 50);

        Assert.All(results, result => Assert.True(result.IsSuccess, result.ReasonCode.ToString()));
        Assert.Equal(50, HubDatabaseProbe.CountEvents(second));
    }

    [MosquittoFact]
    public async Task Check_SameTicketFrom10Gates_ExactlyOneAdmitThroughMosquitto()
    {
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync();
        await using HubHarness hub = await HubHarness.StartAsync(mosquitto.ConfigureHub);
        await hub.ImportAsync(TestData.Guests("PX-1,A One,a@example.test,General Admission,standard,paid,,0"));
        HttpResponseMessage checkin = await hub.Http.PostAsJsonAsync("/api/checkin", new { orderCode = "PX-1" });
        string token = (await checkin.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        CheckClient[] gates = await Task.WhenAll(
            Enumerable.Range(1, 10).Select(i => CheckClient.ConnectAsync(hub, $"gate-{i}")));

        CheckResponse[] responses = await Task.WhenAll(gates.Select(gate => gate.CheckAsync(token)));

        Assert.Single(responses, response => response.Outcome == "admit");
        Assert.Equal(9, responses.Count(response => response.Reason == "already_admitted"));
    }

    [MosquittoFact]
    public async Task Distribution_KeysAndSnapshot_RetainedAtMosquitto()
    {
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync();
        await using HubHarness hub = await HubHarness.StartAsync(mosquitto.ConfigureHub);
        await hub.ImportAsync(TestData.Guests(
            "PX-1,A One,a@example.test,General Admission,standard,paid,,1",
            "PX-2,B Two,b@example.test,Weekend Pass,member,paid,,1"));
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        var keys = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var snapshot = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.ApplicationMessageReceivedAsync += args =>
        {
            byte[] payload = args.ApplicationMessage.Payload.ToArray();
            (args.ApplicationMessage.Topic == Topics.Keys(hub.Options.Venue) ? keys : snapshot).TrySetResult(payload);
            return Task.CompletedTask;
        };

        await gate.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.Keys(hub.Options.Venue), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.Snapshot(hub.Options.Venue), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        var keyList = Firmware.Verification.KeyList.TryParseSigned(
            await keys.Task.WaitAsync(HubHarness.Timeout), Convert.FromBase64String(hub.Endpoints.RootPublicKey),
            Protocol.Crypto.NSecSignatureVerifier.Instance, out string keyError);
        EntitlementSnapshot parsed = EntitlementSnapshot.TryParse(await snapshot.Task.WaitAsync(HubHarness.Timeout), out string error);

        Assert.True(keyList is not null, keyError);
        Assert.True(parsed is not null, error);
        Assert.Equal(2, parsed.Count);
        Assert.Equal(mosquitto.Port, hub.Endpoints.MqttPort);
    }

    [MosquittoFact]
    public async Task AuthFiles_AfterEnrollment_ListDeviceWithOwnSubtreeOnly()
    {
        await using MosquittoProcess mosquitto = await MosquittoProcess.StartAsync();
        await using HubHarness hub = await HubHarness.StartAsync(mosquitto.ConfigureHub);

        await hub.EnrollAsync("gate-7");
        string[] passwords = await File.ReadAllLinesAsync(mosquitto.PasswordFile);
        string acl = await File.ReadAllTextAsync(mosquitto.AclFile);

        Assert.Contains(passwords, line => line.StartsWith("gate-7:$7$101$", StringComparison.Ordinal));
        Assert.Contains(passwords, line => line.StartsWith("edgeiot-hub:$7$", StringComparison.Ordinal));
        Assert.Contains(passwords, line => line.StartsWith("operator:$7$", StringComparison.Ordinal));
        Assert.Contains("user gate-7\ntopic write edgeiot/v1/popup/devices/gate-7/#\n", acl);
        Assert.DoesNotContain("topic readwrite edgeiot/v1/popup/devices/gate-7", acl);
    }

    /// <summary>Completes when the hub's events table contains at least <paramref name="count"/> rows.</summary>
    private static async Task WaitForEventsAsync(HubHarness hub, int count)
    {
        EventWriter writer = hub.App.Services.GetRequiredService<EventWriter>();
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (HubDatabaseProbe.CountEvents(hub) >= count)
            {
                reached.TrySetResult();
            }
        }

        writer.Appended += Check;
        try
        {
            Check();
            await reached.Task.WaitAsync(HubHarness.Timeout);
        }
        finally
        {
            writer.Appended -= Check;
        }
    }

    private static MqttApplicationMessage Message(string topic) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload("{}"u8.ToArray())
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();
}
