using System.Buffers;
using System.Collections.Concurrent;
using EdgeIoT.Firmware.App;
using EdgeIoT.Hub.Api;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.VirtualDevice;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeIoT.Tokens.Tests;

/// <summary>
/// The ESP32 firmware core (<see cref="TurnstileApp"/>) on a real MQTT link to a
/// <see cref="TestVenue"/>. It subscribes to the snapshot, policy, time beacons and its own
/// subtree, but not to the retained key and delegation lists: it models a controller that
/// missed an update and has only the list the test installs.
/// </summary>
internal sealed class FirmwareGate : IMqttTransport, IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentDictionary<string, int> _published = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _received = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _messageArrived = new(0);
    private readonly string _flashFile = Path.Combine(Path.GetTempPath(), "edgeiot-token-tests", Guid.NewGuid().ToString("N") + ".flash");
    private readonly SystemDeviceClock _clock = new(TimeProvider.System, TimeSpan.Zero);
    private FileFlashStorage _flash = null!;

    private FirmwareGate(string deviceId, string venue)
    {
        DeviceId = deviceId;
        Venue = venue;
    }

    public string DeviceId { get; }

    public string Venue { get; }

    public TurnstileApp App { get; private set; } = null!;

    public bool IsConnected => _client.IsConnected;

    public static async Task<FirmwareGate> StartAsync(TestVenue venue, string deviceId)
    {
        EnrollDeviceResponse enrolled = await venue.EnrollAsync(deviceId, "firmware");
        var gate = new FirmwareGate(deviceId, venue.Endpoints.Venue);
        Directory.CreateDirectory(Path.GetDirectoryName(gate._flashFile)!);
        gate._flash = new FileFlashStorage(gate._flashFile, 4096, 16);
        var config = new TurnstileConfig
        {
            DeviceId = deviceId,
            Venue = gate.Venue,
            EventId = venue.EventId,
            RootPublicKey = venue.RootPublicKey,
            BootId = "boot-1",
        };
        gate.App = new TurnstileApp(
            config,
            NSecSignatureVerifier.Instance,
            gate._flash,
            new SimulatedGatePins(),
            gate,
            gate._clock);
        await gate.ConnectAsync(venue.Endpoints.MqttPort, enrolled.MqttUsername, enrolled.MqttPassword);
        return gate;
    }

    /// <summary>Messages received on a topic so far.</summary>
    public int ReceivedOn(string topic) => _received.GetValueOrDefault(topic);

    /// <summary>Publishes the firmware handed to the transport for a topic so far.</summary>
    public int PublishedTo(string topic) => _published.GetValueOrDefault(topic);

    public FirmwareDecision Scan(string text)
    {
        FirmwareDecision? decision = App.OnScanLine(
            text, _clock.UnixMilliseconds, _clock.MonotonicTicks);
        Assert.NotNull(decision);
        return decision;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking it again after every message from the hub.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TestVenue.Timeout);
        while (!condition())
        {
            try
            {
                await _messageArrived.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Timed out after {TestVenue.Timeout.TotalSeconds} s waiting for {what}.");
            }
        }
    }

    public void Publish(string topic, byte[] payload, bool atLeastOnce, PublishCompletedHandler completed)
    {
        _published.AddOrUpdate(topic, 1, (_, count) => count + 1);
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(atLeastOnce ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        _ = PublishAsync(message, completed);
    }

    public void PublishStatus(byte[] payload)
    {
        _published.AddOrUpdate(Topics.Status(Venue, DeviceId), 1, (_, count) => count + 1);
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Status(Venue, DeviceId))
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(true)
            .Build();
        _ = PublishAsync(message, _ => { });
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
        _flash.Dispose();
        File.Delete(_flashFile);
        _messageArrived.Dispose();
    }

    private async Task ConnectAsync(int port, string username, string password)
    {
        _client.ApplicationMessageReceivedAsync += args =>
        {
            string topic = args.ApplicationMessage.Topic;
            App.OnMessage(topic, args.ApplicationMessage.Payload.ToArray());
            _received.AddOrUpdate(topic, 1, (_, count) => count + 1);
            _messageArrived.Release();
            return Task.CompletedTask;
        };
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(DeviceId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCredentials(username, password)
            .WithTimeout(TestVenue.Timeout)
            .Build();
        await _client.ConnectAsync(options);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.Snapshot(Venue), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.Policy(Venue), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.Time(Venue), MqttQualityOfServiceLevel.AtMostOnce)
            .WithTopicFilter($"{Topics.Root}/{Venue}/devices/{DeviceId}/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        App.OnHubContact();
    }

    private async Task PublishAsync(MqttApplicationMessage message, PublishCompletedHandler completed)
    {
        bool acknowledged = false;
        try
        {
            MqttClientPublishResult result = await _client.PublishAsync(message);
            acknowledged = result.IsSuccess;
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
        {
            // The firmware keeps the event queued and retries it.
        }

        completed(acknowledged);
    }
}
