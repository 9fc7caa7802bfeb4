using System.Text;
using System.Threading.Channels;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tests.Policy;
using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Protocol.Tokens;
using EdgeIoT.VirtualDevice;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Firmware.Tests.Device;

public sealed class VirtualEsp32Tests : IDisposable
{
    private const string Venue = "arena";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TokenFixture _tokens = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("edgeiot-esp32-").FullName;

    public void Dispose()
    {
        _tokens.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task VirtualEsp32_AgainstBroker_PublishesEventsWithQos1()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        await PublishHubStateAsync(broker);
        await using VirtualEsp32 device = await StartDeviceAsync(broker);
        var decisions = Channel.CreateUnbounded<FirmwareDecision>();
        device.Decided += (_, decision) => decisions.Writer.TryWrite(decision);

        device.SubmitScanLine(IssueQrText());

        FirmwareDecision decided = await decisions.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.True(decided.Admitted, decided.Reason.ToString());
        MqttApplicationMessage message = await NextEventAsync(broker);
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, message.QualityOfServiceLevel);
        Assert.Equal(Topics.Event(Venue, "esp-1", EventKinds.Decision), message.Topic);
        EdgeEvent sent = ProtocolJson.Deserialize<EdgeEvent>(message.Payload.FirstSpan);
        Assert.Equal("esp-1:1", sent.EventId);
        Assert.Equal("firmware", sent.DeviceClass);
        Assert.Equal("admit", sent.Outcome);
        Assert.Equal(decided.PolicyVersion, sent.PolicyVersion);
        await WaitUntilAsync(() => device.QueueDepth == 0);
    }

    [Fact]
    public async Task VirtualEsp32_BrokerRestart_DrainsQueuedEvents()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        await PublishHubStateAsync(broker);
        await using VirtualEsp32 device = await StartDeviceAsync(broker);

        await broker.StopServerAsync();
        await WaitUntilAsync(() => !device.IsConnected);
        for (int i = 0; i < 3; i++)
        {
            device.SubmitScanLine(IssueQrText());
            device.Pins!.SimulatePassage();
        }

        Assert.Equal(3, device.QueueDepth);
        await broker.StartServerAsync();
        await PublishHubStateAsync(broker);

        var eventIds = new HashSet<string>();
        while (eventIds.Count < 3)
        {
            MqttApplicationMessage message = await NextEventAsync(broker);
            eventIds.Add(ProtocolJson.Deserialize<EdgeEvent>(message.Payload.FirstSpan).EventId);
        }

        Assert.Equal(["esp-1:1", "esp-1:2", "esp-1:3"], eventIds.Order());
        await WaitUntilAsync(() => device.QueueDepth == 0);
    }

    [Fact]
    public async Task VirtualEsp32_PowerLossAndRestart_KeepsQueuedEventsAndSequence()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        await PublishHubStateAsync(broker);
        await using VirtualEsp32 device = await StartDeviceAsync(broker);
        await broker.StopServerAsync();
        await WaitUntilAsync(() => !device.IsConnected);
        device.SubmitScanLine(IssueQrText());
        device.Pins!.SimulatePassage();

        await device.PowerLossAsync();
        Assert.Equal(0, device.QueueDepth);
        await device.RestartAsync();

        Assert.Equal(1, device.QueueDepth);
        await broker.StartServerAsync();
        await PublishHubStateAsync(broker);
        MqttApplicationMessage message = await NextEventAsync(broker);
        Assert.Equal("esp-1:1", ProtocolJson.Deserialize<EdgeEvent>(message.Payload.FirstSpan).EventId);
        await WaitUntilAsync(() => device.QueueDepth == 0);
    }

    [Fact]
    public async Task VirtualEsp32_PowerLoss_BrokerPublishesOfflineWill()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        await PublishHubStateAsync(broker);
        await using VirtualEsp32 device = await StartDeviceAsync(broker);

        await device.PowerLossAsync();

        while (true)
        {
            MqttApplicationMessage message = await broker.Published.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
            if (message.Topic == Topics.Status(Venue, "esp-1"))
            {
                DeviceStatus status = ProtocolJson.Deserialize<DeviceStatus>(message.Payload.FirstSpan);
                if (status.State == "offline")
                {
                    Assert.True(message.Retain);
                    Assert.Equal("firmware", status.DeviceClass);
                    return;
                }
            }
        }
    }

    private async Task<VirtualEsp32> StartDeviceAsync(TestBroker broker)
    {
        var applied = Channel.CreateUnbounded<string>();
        var options = new VirtualEsp32Options
        {
            DeviceId = "esp-1",
            Venue = Venue,
            EventId = TokenFixture.EventId,
            MqttPort = broker.Port,
            RootPublicKey = _tokens.Root.PublicKey,
            FlashFile = Path.Combine(_directory, "esp-1.flash"),
            FlashSectorSize = 1024,
            FlashSectorCount = 16,
            AutoPassage = false,
            ClockSkew = TimeSpan.FromMinutes(-7),
        };
        VirtualEsp32 device = await VirtualEsp32.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        device.HubMessageApplied += (_, topic) => applied.Writer.TryWrite(topic);

        // The handler is attached before the check, so a message applied in between still
        // wakes the loop through the channel.
        while (device.App!.PolicyVersion is null || !device.App.ClockSynchronized || device.App.KeyListVersion == 0
            || device.App.SnapshotVersion == 0)
        {
            await applied.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        }

        return device;
    }

    private async Task PublishHubStateAsync(TestBroker broker)
    {
        byte[] snapshot = EntitlementSnapshot.Encode(1, TokenFixture.EventId,
            [new EntitlementRecord { EntitlementId = 77, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid, Epoch = 1 }]);
        await broker.PublishRetainedAsync(Topics.Keys(Venue), _tokens.SignedKeyList);
        await broker.PublishRetainedAsync(Topics.Snapshot(Venue), snapshot);
        await broker.PublishRetainedAsync(Topics.Policy(Venue), PolicyFiles.VenueDefaultBytes());

        // The hub sends beacons every few seconds; retaining one makes it reach a device that
        // subscribes later without the test waiting for the next beacon. Hub time is the
        // fixture's "now", so the device's skewed clock is corrected to the tokens' time.
        long hubTimeMs = TokenFixture.Now.ToUnixTimeMilliseconds();
        await broker.PublishRetainedAsync(Topics.Time(Venue), _tokens.SignedBeacon(hubTimeMs));
    }

    private string IssueQrText() => TokenIssuer.IssueQrText(TokenFixture.Claims(), _tokens.EdgeKey, TokenFixture.Now);

    private static async Task<MqttApplicationMessage> NextEventAsync(TestBroker broker)
    {
        while (true)
        {
            MqttApplicationMessage message = await broker.Published.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
            if (message.Topic.Contains("/events/", StringComparison.Ordinal))
            {
                return message;
            }
        }
    }

    /// <summary>Polls a condition that has no event of its own, such as the queue depth after a PUBACK.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
