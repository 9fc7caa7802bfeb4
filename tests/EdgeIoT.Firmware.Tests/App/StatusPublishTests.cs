using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tests.Queue;
using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Firmware.Tests.App;

/// <summary>
/// After installing a key list or snapshot the controller publishes its retained status at
/// once, so the hub receives the new versions; a burst of installs ends in one more status
/// after the minimum interval, carrying the last versions.
/// </summary>
public sealed class StatusPublishTests : IDisposable
{
    private const string Venue = "arena";
    private const int Interval = 5000;
    private readonly TokenFixture _tokens = new();
    private readonly ManualDeviceClock _clock = new();
    private readonly ManualTransport _transport = new() { IsConnected = true };
    private readonly TurnstileApp _app;

    public StatusPublishTests()
    {
        _clock.UnixMilliseconds = TokenFixture.Now.ToUnixTimeMilliseconds();
        TurnstileConfig config = _tokens.GateConfig(Venue, config => config.MinStatusIntervalMilliseconds = Interval);
        _app = new TurnstileApp(config, NSecSignatureVerifier.Instance, new RamFlashStorage(512, 8), new RecordingGatePins(), _transport, _clock);
    }

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public void KeyListInstall_PublishesStatusAtOnce()
    {
        Assert.True(_app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignedKeyList));

        DeviceStatus status = ProtocolJson.Deserialize<DeviceStatus>(Assert.Single(_transport.Statuses));
        Assert.Equal("online", status.State);
        Assert.Equal("gate-1", status.DeviceId);
        Assert.Equal(3u, status.KeyListVersion);
        Assert.Equal(0u, status.SnapshotVersion);
    }

    [Fact]
    public void SnapshotInstall_PublishesStatusAtOnce()
    {
        Assert.True(_app.OnMessage(FirmwareTopics.Snapshot(Venue), Snapshot(7)));

        DeviceStatus status = ProtocolJson.Deserialize<DeviceStatus>(Assert.Single(_transport.Statuses));
        Assert.Equal(7u, status.SnapshotVersion);
    }

    [Fact]
    public void SnapshotBurst_PublishesFirstAndLast()
    {
        for (uint version = 1; version <= 20; version++)
        {
            Assert.True(_app.OnMessage(FirmwareTopics.Snapshot(Venue), Snapshot(version)));
            _clock.Advance(TimeSpan.FromMilliseconds(100));
            _app.Tick();
        }

        int duringBurst = _transport.Statuses.Count;
        _clock.Advance(TimeSpan.FromMilliseconds(Interval));
        _app.Tick();
        _clock.Advance(TimeSpan.FromMilliseconds(Interval));
        _app.Tick();

        Assert.Equal(1, duringBurst);
        Assert.Equal(2, _transport.Statuses.Count);
        Assert.Equal(1u, SnapshotVersionOf(_transport.Statuses[0]));
        Assert.Equal(20u, SnapshotVersionOf(_transport.Statuses[1]));
        Assert.Equal(2, _app.StatusPublishes);
    }

    [Fact]
    public void InstallAfterQuietInterval_PublishesAtOnce()
    {
        Assert.True(_app.OnMessage(FirmwareTopics.Snapshot(Venue), Snapshot(1)));

        _clock.Advance(TimeSpan.FromMilliseconds(Interval));
        Assert.True(_app.OnMessage(FirmwareTopics.Snapshot(Venue), Snapshot(2)));

        Assert.Equal(2, _transport.Statuses.Count);
        Assert.Equal(2u, SnapshotVersionOf(_transport.Statuses[1]));
    }

    [Fact]
    public void RejectedKeyList_PublishesNoStatus()
    {
        Assert.True(_app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignedKeyList));
        _clock.Advance(TimeSpan.FromMilliseconds(Interval));

        bool applied = _app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignKeys(2, TokenIssuer.ToKeyEntry(_tokens.EdgeKey)));
        _app.Tick();

        Assert.False(applied);
        Assert.Single(_transport.Statuses);
    }

    [Fact]
    public void InstallWhileOffline_PublishesAfterReconnect()
    {
        _transport.IsConnected = false;
        Assert.True(_app.OnMessage(FirmwareTopics.Snapshot(Venue), Snapshot(4)));
        _app.Tick();
        int whileOffline = _transport.Statuses.Count;

        _transport.IsConnected = true;
        _app.Tick();

        Assert.Equal(0, whileOffline);
        Assert.Equal(4u, SnapshotVersionOf(Assert.Single(_transport.Statuses)));
    }

    [Fact]
    public void HubClockStep_PublishesHubStepStatus()
    {
        Assert.True(_app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignedKeyList));
        Assert.True(_app.OnMessage(FirmwareTopics.Time(Venue), _tokens.SignedBeacon(_clock.UnixMilliseconds)));
        _clock.Advance(TimeSpan.FromMilliseconds(Interval));

        _app.OnMessage(FirmwareTopics.Time(Venue), _tokens.SignedBeacon(_clock.UnixMilliseconds + 600_000));

        Assert.Equal(2, _transport.Statuses.Count);
        Assert.Equal(TurnstileApp.ClockStateHubStep, ProtocolJson.Deserialize<DeviceStatus>(_transport.Statuses[1]).ClockState);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(60001)]
    public void Config_StatusIntervalOutOfRange_Rejected(int milliseconds)
    {
        TurnstileConfig config = _tokens.GateConfig(Venue, config => config.MinStatusIntervalMilliseconds = milliseconds);

        ArgumentException error = Assert.Throws<ArgumentException>(() => new TurnstileApp(
            config, NSecSignatureVerifier.Instance, new RamFlashStorage(512, 8), new RecordingGatePins(), _transport, _clock));

        Assert.Contains("MinStatusIntervalMilliseconds " + milliseconds, error.Message, StringComparison.Ordinal);
    }

    private static byte[] Snapshot(uint version) => EntitlementSnapshot.Encode(version, TokenFixture.EventId,
    [
        new EntitlementRecord { EntitlementId = 77, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid, Epoch = 1 },
    ]);

    private static uint? SnapshotVersionOf(byte[] status) => ProtocolJson.Deserialize<DeviceStatus>(status).SnapshotVersion;
}
