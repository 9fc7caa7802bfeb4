using System.Text;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Gate;
using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tests.Policy;
using EdgeIoT.Firmware.Tests.Queue;
using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Firmware.Tests.App;

public sealed class TurnstileAppTests : IDisposable
{
    private const string Venue = "arena";
    private static readonly byte[] TagUid = [0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66];
    private readonly TokenFixture _tokens = new();
    private readonly ManualDeviceClock _clock = new();
    private readonly RecordingGatePins _pins = new();
    private readonly ManualTransport _transport = new();
    private readonly RamFlashStorage _flash = new(512, 8);
    private readonly List<string> _notices = [];
    private readonly TurnstileApp _app;

    public TurnstileAppTests()
    {
        // The device clock starts an hour wrong; only the hub's time beacon makes it usable.
        _clock.UnixMilliseconds = TokenFixture.Now.AddHours(1).ToUnixTimeMilliseconds();
        _app = new TurnstileApp(Config(), NSecSignatureVerifier.Instance, _flash, _pins, _transport, _clock);
        _app.Notice += (code, _) => _notices.Add(code);
    }

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public void Scan_BeforeTimeBeacon_IsDeniedAsClockUnreliable()
    {
        SendRetained();

        FirmwareDecision decision = Scan(_tokens.Issue())!;

        Assert.False(decision.Admitted);
        Assert.Equal(RejectReason.ClockUnreliable, decision.Reason);
        Assert.Equal(0, _pins.Pulses);
    }

    [Fact]
    public void Scan_PaidGuestOffline_AdmitsOpensGateAndStoresEvent()
    {
        SendRetained();
        SendBeacon();

        FirmwareDecision decision = Scan(_tokens.Issue())!;

        Assert.True(decision.Admitted, decision.Reason.ToString());
        Assert.Equal("paid-guests", decision.PolicyRule);
        Assert.StartsWith("venue-default@1#", decision.PolicyVersion, StringComparison.Ordinal);
        Assert.Equal(1, decision.Seq);
        Assert.Equal(GateState.Open, _app.GateState);
        Assert.True(_pins.RelayEnergized);
        Assert.Equal(1, _app.QueueDepth);
    }

    [Fact]
    public void Gate_AfterPulse_ReleasesRelayAndConfirmsPassage()
    {
        SendRetained();
        SendBeacon();
        Scan(_tokens.Issue());

        _clock.Advance(TimeSpan.FromMilliseconds(801));
        _app.Tick();
        Assert.False(_pins.RelayEnergized);
        Assert.Equal(GateState.Open, _app.GateState);

        _pins.Pass();
        Assert.Equal(GateState.Idle, _app.GateState);
    }

    [Fact]
    public void Gate_NobodyPasses_AnnulsAndRecordsStatusEvent()
    {
        SendRetained();
        SendBeacon();
        Scan(_tokens.Issue());

        _clock.Advance(TimeSpan.FromSeconds(9));
        _app.Tick();

        Assert.Equal(GateState.Idle, _app.GateState);
        Assert.Equal(2, _app.QueueDepth);
    }

    [Fact]
    public void Scan_WhileGateOpen_IsIgnored()
    {
        SendRetained();
        SendBeacon();
        Scan(_tokens.Issue());

        Assert.Null(Scan(_tokens.Issue()));
    }

    [Fact]
    public void Gate_NobodyPasses_CountsAnnulledAdmit()
    {
        SendRetained();
        SendBeacon();
        Scan(_tokens.Issue());

        _clock.Advance(TimeSpan.FromMilliseconds(Config().PassageTimeoutMilliseconds));
        _app.Tick();

        Assert.Equal(1, _app.AnnulledCount);
        Assert.Equal(0, _app.TailgateCount);
    }

    [Fact]
    public void Gate_SecondPersonFollows_CountsTailgate()
    {
        SendRetained();
        SendBeacon();
        Scan(_tokens.Issue());

        _pins.Pass();
        _pins.Pass();

        Assert.Equal(1, _app.TailgateCount);
        Assert.Equal(0, _app.AnnulledCount);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void Scan_SameTokenTwice_SecondIsAlreadyAdmitted()
    {
        SendRetained();
        SendBeacon();
        byte[] token = _tokens.Issue();
        Scan(token);
        _pins.Pass();

        FirmwareDecision second = Scan(token)!;

        Assert.False(second.Admitted);
        Assert.Equal(RejectReason.AlreadyAdmitted, second.Reason);
        Assert.Equal(2, second.Seq);
    }

    [Fact]
    public void Scan_PendingStandardGuest_IsDeniedByPolicyWithRule()
    {
        SendRetained();
        SendBeacon();

        FirmwareDecision decision = Scan(_tokens.Issue(TokenFixture.Claims(entitlementId: 79)))!;

        Assert.False(decision.Admitted);
        Assert.Equal(RejectReason.PolicyDenied, decision.Reason);
        Assert.Equal("default-deny", decision.PolicyRule);
        Assert.Equal(GateState.Idle, _app.GateState);
    }

    [Fact]
    public void Scan_NoPolicyYet_IsDeniedWithNoPolicyRule()
    {
        _app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignedKeyList);
        SendBeacon();

        FirmwareDecision decision = Scan(_tokens.Issue())!;

        Assert.Equal(RejectReason.PolicyDenied, decision.Reason);
        Assert.Equal(TurnstileApp.NoPolicyRule, decision.PolicyRule);
    }

    [Fact]
    public void Scan_LowerCaseScannerOutput_IsScannerMisconfiguredEvent()
    {
        SendRetained();
        SendBeacon();

        FirmwareDecision decision = _app.OnScanLine(
            QrText.Encode(_tokens.Issue()).ToLowerInvariant(), _clock.UnixMilliseconds, _clock.MonotonicTicks)!;

        Assert.Equal(RejectReason.ScannerMisconfigured, decision.Reason);
        Assert.Null(decision.TokenId);
        Assert.Equal(1, _app.QueueDepth);
    }

    [Fact]
    public void TagRead_TokenRecord_AdmitsAsScanDoes()
    {
        SendRetained();
        SendBeacon();

        FirmwareDecision decision = _app.OnTagRead(
            NdefToken.EncodeTagData(_tokens.Issue()), TagUid, _clock.UnixMilliseconds, _clock.MonotonicTicks)!;

        Assert.True(decision.Admitted, decision.Reason.ToString());
        Assert.Equal("paid-guests", decision.PolicyRule);
        Assert.Equal(1, decision.Seq);
        Assert.True(_pins.RelayEnergized);
    }

    [Fact]
    public void TagRead_ScannedToken_AlreadyAdmitted()
    {
        SendRetained();
        SendBeacon();
        byte[] token = _tokens.Issue();
        Scan(token);
        _pins.Pass();

        FirmwareDecision second = _app.OnTagRead(
            NdefToken.EncodeTagData(token), TagUid, _clock.UnixMilliseconds, _clock.MonotonicTicks)!;

        Assert.False(second.Admitted);
        Assert.Equal(RejectReason.AlreadyAdmitted, second.Reason);
    }

    [Fact]
    public void TagRead_NoTokenRecord_MalformedWithDetail()
    {
        SendRetained();
        SendBeacon();
        _transport.IsConnected = true;

        // An NDEF TLV holding one text record ("en", "hello"), not the token's external type.
        byte[] textTag = [0x03, 0x0C, 0xD1, 0x01, 0x08, 0x54, 0x02, 0x65, 0x6E, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0xFE];
        FirmwareDecision decision = _app.OnTagRead(textTag, TagUid, _clock.UnixMilliseconds, _clock.MonotonicTicks)!;
        _transport.AcknowledgeAll();

        Assert.False(decision.Admitted);
        Assert.Equal(RejectReason.Malformed, decision.Reason);
        Assert.Null(decision.TokenId);
        string published = Encoding.UTF8.GetString(Assert.Single(_transport.Acknowledged).Payload);
        Assert.Contains("\"detail\":", published, StringComparison.Ordinal);
    }

    [Fact]
    public void Outbox_Connected_PublishesQos1AndRemovesOnlyAfterPuback()
    {
        SendRetained();
        SendBeacon();
        _transport.IsConnected = true;
        FirmwareDecision decision = Scan(_tokens.Issue())!;

        Assert.Equal(1, _transport.PendingCount);
        Assert.Equal(1, _app.QueueDepth);
        _transport.AcknowledgeAll();

        var published = Assert.Single(_transport.Acknowledged);
        Assert.True(published.AtLeastOnce);
        Assert.Equal(Topics.Event(Venue, "gate-1", EventKinds.Decision), published.Topic);
        EdgeEvent sent = ProtocolJson.Deserialize<EdgeEvent>(published.Payload);
        Assert.Equal("gate-1:1", sent.EventId);
        Assert.Equal("admit", sent.Outcome);
        Assert.Equal("offline", sent.Mode);
        Assert.Equal(decision.PolicyVersion, sent.PolicyVersion);
        Assert.Equal("paid-guests", sent.PolicyRule);
        Assert.Equal(decision.TokenId, sent.TokenId);
        Assert.Equal("guest", sent.Role);
        Assert.True(sent.SingleEntry);
        Assert.Equal(TokenFixture.Now.ToUnixTimeMilliseconds(), sent.DeviceTimeMs);
        Assert.Equal(0, _app.QueueDepth);
    }

    [Fact]
    public void Outbox_PublishFailsThenReset_ResendsFromFlash()
    {
        SendRetained();
        SendBeacon();
        _transport.IsConnected = true;
        Scan(_tokens.Issue());
        _transport.FailAll();
        Assert.Equal(1, _app.QueueDepth);

        _app.RecoverAfterReset();
        _transport.AcknowledgeAll();

        Assert.Equal("gate-1:1", ProtocolJson.Deserialize<EdgeEvent>(Assert.Single(_transport.Acknowledged).Payload).EventId);
        Assert.Equal(0, _app.QueueDepth);
    }

    [Fact]
    public void Restart_NewAppOnSameFlash_ContinuesSequence()
    {
        SendRetained();
        SendBeacon();
        Scan(_tokens.Issue());
        _pins.Pass();

        var restarted = new TurnstileApp(Config(), NSecSignatureVerifier.Instance, _flash, new RecordingGatePins(), _transport, _clock);
        restarted.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignedKeyList);
        restarted.OnMessage(FirmwareTopics.Policy(Venue), PolicyFiles.VenueDefaultBytes());
        restarted.OnMessage(FirmwareTopics.Time(Venue), Beacon());
        FirmwareDecision decision = restarted.OnScanLine(QrText.Encode(_tokens.Issue()), _clock.UnixMilliseconds, _clock.MonotonicTicks)!;

        Assert.Equal(2, decision.Seq);
        Assert.Equal(2, restarted.QueueDepth);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void KeyList_OlderVersion_IsRejectedWithNotice()
    {
        SendRetained();

        bool applied = _app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignKeys(2, TokenIssuer.ToKeyEntry(_tokens.EdgeKey)));

        Assert.False(applied);
        Assert.Equal(3u, _app.KeyListVersion);
        Assert.Contains("keys_rejected", _notices);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void KeyList_SignedByOtherRoot_IsRejected()
    {
        using SigningKey otherRoot = SigningKey.Generate(TokenFixture.Now.AddDays(-1), TokenFixture.Now.AddDays(1));
        byte[] forged = TokenIssuer.SignKeyList(
            new KeyList(9, TokenFixture.EventId, [TokenIssuer.ToKeyEntry(_tokens.EdgeKey)]), otherRoot);

        Assert.False(_app.OnMessage(FirmwareTopics.Keys(Venue), forged));
        Assert.Equal(0u, _app.KeyListVersion);
    }

    [Fact]
    public void Policy_MalformedUpdate_KeepsCurrentPolicy()
    {
        SendRetained();
        string? before = _app.PolicyVersion;

        bool applied = _app.OnMessage(FirmwareTopics.Policy(Venue), Encoding.UTF8.GetBytes("{\"policyId\":1}"));

        Assert.False(applied);
        Assert.Equal(before, _app.PolicyVersion);
        Assert.Contains("policy_rejected", _notices);
    }

    [Fact]
    public void TimeBeacon_Unsigned_IsRejectedAndClockStaysUnreliable()
    {
        SendRetained();

        bool applied = _app.OnMessage(
            FirmwareTopics.Time(Venue), Encoding.UTF8.GetBytes("{\"hubTimeMs\":" + TokenFixture.Now.ToUnixTimeMilliseconds() + "}"));
        FirmwareDecision decision = Scan(_tokens.Issue())!;

        Assert.False(applied);
        Assert.Contains("time_rejected", _notices);
        Assert.Equal(RejectReason.ClockUnreliable, decision.Reason);
    }

    [Fact]
    public void TimeBeacon_SignedByUnlistedKey_IsRejected()
    {
        SendRetained();
        using SigningKey stranger = SigningKey.Generate(TokenFixture.Now.AddHours(-1), TokenFixture.Now.AddHours(1));

        bool applied = _app.OnMessage(FirmwareTopics.Time(Venue), _tokens.SignedBeacon(TokenFixture.Now.ToUnixTimeMilliseconds(), stranger));

        Assert.False(applied);
        Assert.Contains("time_rejected", _notices);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void TimeBeacon_TamperedTime_IsRejected()
    {
        SendRetained();
        string signed = Encoding.UTF8.GetString(Beacon());
        long hubTimeMs = TokenFixture.Now.ToUnixTimeMilliseconds();

        bool applied = _app.OnMessage(
            FirmwareTopics.Time(Venue), Encoding.UTF8.GetBytes(signed.Replace(hubTimeMs.ToString(), (hubTimeMs - 60_000).ToString())));

        Assert.False(applied);
        Assert.Contains("time_rejected", _notices);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void TimeBeacon_ReplayedOlder_IsRejected()
    {
        SendRetained();
        long hubTimeMs = TokenFixture.Now.ToUnixTimeMilliseconds();
        Assert.True(_app.OnMessage(FirmwareTopics.Time(Venue), _tokens.SignedBeacon(hubTimeMs)));

        bool replayed = _app.OnMessage(FirmwareTopics.Time(Venue), _tokens.SignedBeacon(hubTimeMs - 2000));

        Assert.False(replayed);
        Assert.Contains("time_rejected", _notices);
    }

    [Fact]
    public void TimeBeacon_Stale_MakesClockUnreliableAgain()
    {
        SendRetained();
        SendBeacon();

        _clock.Advance(TimeSpan.FromHours(1.5));
        FirmwareDecision decision = _app.OnScanLine(
            QrText.Encode(_tokens.Issue(at: TokenFixture.Now.AddMinutes(30))), _clock.UnixMilliseconds, _clock.MonotonicTicks)!;

        Assert.Equal(RejectReason.ClockUnreliable, decision.Reason);
    }

    [Fact]
    public void Queue_Full_GateKeepsDecidingAndReportsQueueFull()
    {
        SendRetained();
        SendBeacon();
        int admitted = 0;
        for (int i = 0; i < 40; i++)
        {
            FirmwareDecision? decision = Scan(_tokens.Issue());
            _pins.Pass();
            admitted += decision is { Admitted: true } ? 1 : 0;
        }

        Assert.Equal(40, admitted);
        Assert.True(_app.QueueFull);
        Assert.False(_app.WalkInSalesAllowed);
        Assert.True(_app.EventsRefused > 0);
        Assert.Contains("queue_full", _notices);
    }

    private TurnstileConfig Config() => _tokens.GateConfig(Venue);

    private FirmwareDecision? Scan(byte[] token) =>
        _app.OnScanLine(QrText.Encode(token), _clock.UnixMilliseconds, _clock.MonotonicTicks);

    private byte[] Beacon() => _tokens.SignedBeacon(TokenFixture.Now.ToUnixTimeMilliseconds());

    private void SendBeacon() => Assert.True(_app.OnMessage(FirmwareTopics.Time(Venue), Beacon()));

    private void SendRetained()
    {
        byte[] snapshot = EntitlementSnapshot.Encode(1, TokenFixture.EventId,
        [
            new EntitlementRecord { EntitlementId = 77, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid, SingleEntry = true, Epoch = 1 },
            new EntitlementRecord { EntitlementId = 79, Tier = MembershipTier.Standard, Payment = PaymentStatus.Pending, Epoch = 1 },
        ]);
        Assert.True(_app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignedKeyList));
        Assert.True(_app.OnMessage(FirmwareTopics.Snapshot(Venue), snapshot));
        Assert.True(_app.OnMessage(FirmwareTopics.Policy(Venue), PolicyFiles.VenueDefaultBytes()));
    }
}
