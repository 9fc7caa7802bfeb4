using System.Text;
using System.Text.Json;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tests.Policy;
using EdgeIoT.Firmware.Tests.Queue;
using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Firmware.Tests.App;

/// <summary>Watchdog resets: seen-set on flash, clock refused until a beacon, queue resumed, status report.</summary>
public sealed class ResetRecoveryTests : IDisposable
{
    private const string Venue = "arena";
    private readonly TokenFixture _tokens = new();
    private readonly Dictionary<TurnstileApp, long> _beaconsSent = [];
    private readonly ManualDeviceClock _clock = new();
    private readonly ManualTransport _transport = new();
    private readonly RamFlashStorage _queueFlash = new(1024, 8);
    private readonly RamFlashStorage _seenFlash = new(1024, 24);
    private RecordingGatePins _pins = new();

    public ResetRecoveryTests()
    {
        _clock.UnixMilliseconds = TokenFixture.Now.ToUnixTimeMilliseconds();
    }

    public void Dispose() => _tokens.Dispose();

    [Fact]
    [Trait("Category", "Security")]
    public void Replay_RightAfterWatchdogReset_IsAlreadyAdmitted()
    {
        TurnstileApp before = Boot(ResetReasons.PowerOn);
        byte[] token = _tokens.Issue();
        Assert.True(Scan(before, token).Admitted);

        TurnstileApp after = Boot(ResetReasons.Watchdog);
        SendBeacon(after);
        FirmwareDecision replay = Scan(after, token);

        Assert.False(replay.Admitted);
        Assert.Equal(RejectReason.AlreadyAdmitted, replay.Reason);
    }

    [Fact]
    public void Replay_WithoutSeenSetFlash_IsAdmittedAgain()
    {
        // The control case: what the flash region prevents.
        var before = new TurnstileApp(Config(ResetReasons.PowerOn), NSecSignatureVerifier.Instance, _queueFlash, _pins, _transport, _clock);
        SendHubState(before);
        SendBeacon(before);
        byte[] token = _tokens.Issue();
        Assert.True(Scan(before, token).Admitted);

        _pins = new RecordingGatePins();
        var after = new TurnstileApp(Config(ResetReasons.Watchdog), NSecSignatureVerifier.Instance, _queueFlash, _pins, _transport, _clock);
        SendHubState(after);
        SendBeacon(after);

        Assert.True(Scan(after, token).Admitted);
    }

    [Fact]
    public void Scan_AfterResetBeforeBeacon_IsClockUnreliable()
    {
        TurnstileApp before = Boot(ResetReasons.PowerOn);
        Assert.True(Scan(before, _tokens.Issue()).Admitted);

        TurnstileApp after = Boot(ResetReasons.Watchdog, beacon: false);
        FirmwareDecision decision = Scan(after, _tokens.Issue());

        Assert.Equal(RejectReason.ClockUnreliable, decision.Reason);
        Assert.False(after.ClockSynchronized);
    }

    [Fact]
    public void RecoverAfterReset_DropsClockUntilNextBeacon()
    {
        TurnstileApp app = Boot(ResetReasons.PowerOn);
        byte[] token = _tokens.Issue();
        Assert.True(Scan(app, token).Admitted);

        app.RecoverAfterReset();

        Assert.False(app.ClockSynchronized);
        Assert.Equal(RejectReason.ClockUnreliable, Scan(app, _tokens.Issue()).Reason);
        SendBeacon(app);
        Assert.Equal(RejectReason.AlreadyAdmitted, Scan(app, token).Reason);
    }

    [Fact]
    public void Seen_ExpiredAfterReset_IsExpired()
    {
        TurnstileApp before = Boot(ResetReasons.PowerOn);
        byte[] token = _tokens.Issue();
        Assert.True(Scan(before, token).Admitted);

        TurnstileApp after = Boot(ResetReasons.Watchdog, beacon: false);
        long later = TokenFixture.Now.AddMinutes(10).ToUnixTimeMilliseconds();
        Assert.True(after.OnMessage(FirmwareTopics.Time(Venue), _tokens.SignedBeacon(later)));

        Assert.Equal(RejectReason.Expired, Scan(after, token).Reason);
        Assert.Equal(1, after.SeenCount);
    }

    [Fact]
    public void Queue_AfterReset_ResumesWithoutLossOrDuplicates()
    {
        TurnstileApp before = Boot(ResetReasons.PowerOn);
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Scan(before, _tokens.Issue()).Admitted);
        }

        _transport.IsConnected = true;
        before.OnHubContact();
        _transport.AcknowledgeNext();
        TurnstileApp after = Boot(ResetReasons.Watchdog);
        _transport.FailAll();
        after.OnHubContact();
        _transport.AcknowledgeAll();
        FirmwareDecision next = Scan(after, _tokens.Issue());
        _transport.AcknowledgeAll();

        long[] sequences = [.. _transport.Acknowledged.Select(p => ProtocolJson.Deserialize<EdgeEvent>(p.Payload).Seq)];
        Assert.Equal([1, 2, 3, 4], sequences);
        Assert.Equal(4, next.Seq);
        Assert.Equal(0, after.QueueDepth);
    }

    [Fact]
    public void Status_AfterWatchdog_ReportsReason()
    {
        TurnstileApp app = Boot(ResetReasons.Watchdog, bootId: "b00t42");

        DeviceStatus status = ProtocolJson.Deserialize<DeviceStatus>(app.BuildStatusJson(TurnstileApp.StateOnline));

        Assert.Equal("gate-1", status.DeviceId);
        Assert.Equal("firmware", status.DeviceClass);
        Assert.Equal("online", status.State);
        Assert.Equal("b00t42", status.BootId);
        Assert.Equal("watchdog", status.ResetReason);
        Assert.Equal(3u, status.KeyListVersion);
        Assert.Equal(TokenFixture.Now.ToUnixTimeMilliseconds(), status.TimeMs);
    }

    [Fact]
    public void Status_BeforeBeacon_SaysClockNotSynchronized()
    {
        TurnstileApp app = Boot(ResetReasons.PowerOn, beacon: false);

        using JsonDocument status = JsonDocument.Parse(app.BuildStatusJson(TurnstileApp.StateOffline));

        Assert.False(status.RootElement.GetProperty("clockSynchronized").GetBoolean());
        Assert.Equal("offline", status.RootElement.GetProperty("state").GetString());
        Assert.Equal(0, status.RootElement.GetProperty("queueDepth").GetInt32());
    }

    private TurnstileApp Boot(string resetReason, bool beacon = true, string bootId = "boot1")
    {
        TurnstileConfig config = Config(resetReason);
        config.BootId = bootId;
        _pins = new RecordingGatePins();
        var app = new TurnstileApp(config, NSecSignatureVerifier.Instance, _queueFlash, _seenFlash, _pins, _transport, _clock);
        SendHubState(app);
        if (beacon)
        {
            SendBeacon(app);
        }

        return app;
    }

    private FirmwareDecision Scan(TurnstileApp app, byte[] token)
    {
        FirmwareDecision decision = app.OnScanLine(QrText.Encode(token), _clock.UnixMilliseconds, _clock.MonotonicTicks)!;

        // The guest walks through, so the turnstile takes the next scan.
        _pins.Pass();
        return decision;
    }

    private TurnstileConfig Config(string resetReason) =>
        _tokens.GateConfig(Venue, config => config.ResetReason = resetReason);

    private void SendBeacon(TurnstileApp app)
    {
        // A second beacon to the same app is 1 ms later, because the app ignores a beacon that is not newer.
        _beaconsSent[app] = _beaconsSent.GetValueOrDefault(app, -1) + 1;
        long hubTimeMs = TokenFixture.Now.ToUnixTimeMilliseconds() + _beaconsSent[app];
        Assert.True(app.OnMessage(FirmwareTopics.Time(Venue), _tokens.SignedBeacon(hubTimeMs)));
    }

    private void SendHubState(TurnstileApp app)
    {
        byte[] snapshot = EntitlementSnapshot.Encode(1, TokenFixture.EventId,
            [new EntitlementRecord { EntitlementId = 77, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid, Epoch = 1 }]);
        Assert.True(app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignedKeyList));
        Assert.True(app.OnMessage(FirmwareTopics.Snapshot(Venue), snapshot));
        Assert.True(app.OnMessage(FirmwareTopics.Policy(Venue), PolicyFiles.VenueDefaultBytes()));
    }
}
