using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeIoT.EdgeAgent.Tests;

/// <summary>
/// An in-process MQTTnet 5 broker on 127.0.0.1 that plays the hub: it serves retained key
/// list, snapshot and policy, replies to online checks, and records every event it acknowledges.
/// </summary>
internal sealed class TestHub : IAsyncDisposable
{
    public const string Venue = "test-venue";

    private readonly MqttServer _server;

    private TestHub(MqttServer server, int port)
    {
        _server = server;
        Port = port;
        _server.InterceptingPublishAsync += OnPublishAsync;
    }

    public int Port { get; }

    /// <summary>Events in the order the hub stored (and acknowledged) them.</summary>
    public Channel<EdgeEvent> Events { get; } = Channel.CreateUnbounded<EdgeEvent>();

    public Channel<CheckRequest> CheckRequests { get; } = Channel.CreateUnbounded<CheckRequest>();

    /// <summary>Returns true for an event the hub rejects with PUBACK reason PayloadFormatInvalid.</summary>
    public Func<EdgeEvent, bool> RejectEvent { get; set; } = _ => false;

    /// <summary>Events rejected by <see cref="RejectEvent"/>, one entry per delivery attempt.</summary>
    public Channel<EdgeEvent> Rejected { get; } = Channel.CreateUnbounded<EdgeEvent>();

    /// <summary>Returns the response to an online check, or null to send none.</summary>
    public Func<CheckRequest, CheckResponse?> AnswerCheck { get; set; } =
        request => new CheckResponse { Nonce = request.Nonce, Outcome = "admit", Reason = "none" };

    /// <param name="port">Port to listen on, or null for one the OS chooses.</param>
    public static async Task<TestHub> StartAsync(int? port = null)
    {
        int chosenPort = port ?? FreeLoopbackPort();
        MqttServerOptions options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(chosenPort)
            .WithDefaultEndpointReuseAddress()
            .WithPersistentSessions()
            .Build();
        MqttServer server = new MqttServerFactory().CreateMqttServer(options);
        var hub = new TestHub(server, chosenPort);
        await server.StartAsync();
        return hub;
    }

    /// <summary>Returns a loopback port the OS chose and nothing listens on now.</summary>
    public static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Publishes the key list, snapshot and policy retained, as the hub does at start.</summary>
    public async Task PublishVenueStateAsync(VenueKeys keys)
    {
        await PublishAsync(Topics.Keys(Venue), keys.SignedKeyList, retain: true);
        await PublishAsync(Topics.Snapshot(Venue), VenueKeys.Snapshot(), retain: true);
        await PublishAsync(Topics.Policy(Venue), VenueKeys.Policy, retain: true);
    }

    /// <summary>Publishes a time beacon signed by the venue's edge key, or unsigned when <paramref name="keys"/> is null.</summary>
    public Task PublishTimeAsync(long hubTimeMs, VenueKeys? keys, uint epoch = 0)
    {
        var beacon = new TimeBeacon { HubTimeMs = hubTimeMs, Epoch = epoch };
        if (keys is not null)
        {
            byte[] signature = new byte[64];
            keys.Edge.Sign(EdgeIoT.Firmware.Verification.TimeBeaconSignature.Message(VenueKeys.EventId, epoch, hubTimeMs), signature);
            beacon = beacon with
            {
                Kid = EdgeIoT.Protocol.Crypto.KeyIds.ToHex(keys.Edge.KeyId),
                Signature = Convert.ToHexStringLower(signature),
            };
        }

        return PublishAsync(Topics.Time(Venue), ProtocolJson.Serialize(beacon), retain: false);
    }

    public async Task PublishAsync(string topic, byte[] payload, bool retain)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        await _server.InjectApplicationMessage(
            new InjectedMqttApplicationMessage(message) { SenderClientId = "hub" }, CancellationToken.None);
    }

    /// <summary>Returns the retained status of a device, or null when none is retained.</summary>
    public async Task<DeviceStatus?> GetRetainedStatusAsync(string deviceId)
    {
        MqttApplicationMessage? message = await _server.GetRetainedMessageAsync(Topics.Status(Venue, deviceId));
        return message is null ? null : ProtocolJson.Deserialize<DeviceStatus>(message.Payload.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync(new MqttServerStopOptions());
        _server.Dispose();
    }

    private async Task OnPublishAsync(InterceptingPublishEventArgs args)
    {
        MqttApplicationMessage message = args.ApplicationMessage;
        if (message.Topic == Topics.CheckRequest(Venue))
        {
            await AnswerAsync(message);
        }
        else if (Topics.TryParseDeviceTopic(message.Topic, Venue, out _, out string rest)
            && rest.StartsWith("events/", StringComparison.Ordinal))
        {
            // The interceptor runs before the PUBACK, so a recorded event is an acknowledged one.
            EdgeEvent received = ProtocolJson.Deserialize<EdgeEvent>(message.Payload.ToArray());
            if (RejectEvent(received))
            {
                args.ProcessPublish = false;
                args.Response.ReasonCode = MqttPubAckReasonCode.PayloadFormatInvalid;
                args.Response.ReasonString = "rejected by the test hub";
                Rejected.Writer.TryWrite(received);
                return;
            }

            Events.Writer.TryWrite(received);
        }
    }

    private async Task AnswerAsync(MqttApplicationMessage message)
    {
        CheckRequest request = ProtocolJson.Deserialize<CheckRequest>(message.Payload.ToArray());
        CheckRequests.Writer.TryWrite(request);
        CheckResponse? response = AnswerCheck(request);
        if (response is null)
        {
            return;
        }

        MqttApplicationMessage reply = new MqttApplicationMessageBuilder()
            .WithTopic(message.ResponseTopic)
            .WithPayload(ProtocolJson.Serialize(response))
            .WithCorrelationData(message.CorrelationData)
            .Build();
        await _server.InjectApplicationMessage(
            new InjectedMqttApplicationMessage(reply) { SenderClientId = "hub" }, CancellationToken.None);
    }
}
