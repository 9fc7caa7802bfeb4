using System.Text;
using System.Threading.Channels;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tests.Policy;
using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Protocol.Tokens;
using EdgeIoT.VirtualDevice;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;

namespace EdgeIoT.Firmware.Tests.Device;

/// <summary>A virtual ESP32 with flash files, against a real broker, across a watchdog reset.</summary>
public sealed class VirtualEsp32ResetTests : IDisposable
{
    private const string Venue = "arena";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly TokenFixture _tokens = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("edgeiot-esp32-reset-").FullName;
    private readonly Channel<string> _applied = Channel.CreateUnbounded<string>();
    private readonly Channel<FirmwareDecision> _decisions = Channel.CreateUnbounded<FirmwareDecision>();

    public void Dispose()
    {
        _tokens.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Replay_AfterWatchdogRestart_IsAlreadyAdmitted()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        await PublishHubStateAsync(broker);
        await using VirtualEsp32 device = await StartDeviceAsync(broker);
        string code = TokenIssuer.IssueQrText(TokenFixture.Claims(), _tokens.EdgeKey, TokenFixture.Now);
        Assert.True((await ScanAsync(device, code)).Admitted);

        await device.RestartAsync(ResetReasons.Watchdog);
        await WaitUntilReadyAsync(device);
        FirmwareDecision replay = await ScanAsync(device, code);

        Assert.False(replay.Admitted);
        Assert.Equal(RejectReason.AlreadyAdmitted, replay.Reason);
    }

    [Fact]
    public async Task Status_AfterWatchdogRestart_ReportsReasonAndNewBootId()
    {
        await using TestBroker broker = await TestBroker.StartAsync();
        await PublishHubStateAsync(broker);
        await using VirtualEsp32 device = await StartDeviceAsync(broker);
        DeviceStatus first = await NextOnlineStatusAsync(broker);

        await device.RestartAsync(ResetReasons.Watchdog);
        DeviceStatus second = await NextOnlineStatusAsync(broker, skipBootId: first.BootId);

        Assert.Equal("power_on", first.ResetReason);
        Assert.Equal("watchdog", second.ResetReason);
        Assert.NotNull(second.BootId);
        Assert.NotEqual(first.BootId, second.BootId);
        Assert.Equal("firmware", second.DeviceClass);
    }

    private async Task<VirtualEsp32> StartDeviceAsync(TestBroker broker)
    {
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
        };
        VirtualEsp32 device = await VirtualEsp32.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        device.HubMessageApplied += (_, topic) => _applied.Writer.TryWrite(topic);
        device.Decided += (_, decision) => _decisions.Writer.TryWrite(decision);
        await WaitUntilReadyAsync(device);
        return device;
    }

    private async Task WaitUntilReadyAsync(VirtualEsp32 device)
    {
        // The handler is attached before the check, so a message applied in between still
        // wakes the loop through the channel.
        while (device.App is null || device.App.PolicyVersion is null || !device.App.ClockSynchronized
            || device.App.KeyListVersion == 0 || device.App.SnapshotVersion == 0)
        {
            await _applied.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
        }
    }

    private async Task<FirmwareDecision> ScanAsync(VirtualEsp32 device, string code)
    {
        device.SubmitScanLine(code);
        return await _decisions.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
    }

    /// <summary>
    /// Returns the next online status, skipping those of boot <paramref name="skipBootId"/>:
    /// the device also publishes its status after installing the retained key list and snapshot.
    /// </summary>
    private static async Task<DeviceStatus> NextOnlineStatusAsync(TestBroker broker, string? skipBootId = null)
    {
        while (true)
        {
            MqttApplicationMessage message = await broker.Published.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
            if (message.Topic == Topics.Status(Venue, "esp-1"))
            {
                DeviceStatus status = ProtocolJson.Deserialize<DeviceStatus>(message.Payload.FirstSpan);
                if (status.State == "online" && status.BootId != skipBootId)
                {
                    return status;
                }
            }
        }
    }

    private async Task PublishHubStateAsync(TestBroker broker)
    {
        byte[] snapshot = EntitlementSnapshot.Encode(1, TokenFixture.EventId,
            [new EntitlementRecord { EntitlementId = 77, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid, Epoch = 1 }]);
        await broker.PublishRetainedAsync(Topics.Keys(Venue), _tokens.SignedKeyList);
        await broker.PublishRetainedAsync(Topics.Snapshot(Venue), snapshot);
        await broker.PublishRetainedAsync(Topics.Policy(Venue), PolicyFiles.VenueDefaultBytes());

        // Retained here so a device that subscribes after a restart gets one at once.
        long hubTimeMs = TokenFixture.Now.ToUnixTimeMilliseconds();
        await broker.PublishRetainedAsync(Topics.Time(Venue), _tokens.SignedBeacon(hubTimeMs));
    }
}
