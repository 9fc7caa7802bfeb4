using System.Text;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tests.Policy;
using EdgeIoT.Firmware.Tests.Queue;
using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Firmware.Tests.App;

/// <summary>
/// The hub clock stepping a day forward and back while a controller runs: tokens issued before
/// the step keep their verdicts, a held step shows in the status, and a deliberate step back
/// (higher beacon epoch) is accepted while a replayed beacon is not.
/// </summary>
public sealed class ClockStepTests : IDisposable
{
    private const string Venue = "arena";
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Hold = TimeSpan.FromMilliseconds(new TurnstileConfig().ClockStepHoldMilliseconds);

    private readonly TokenFixture _tokens = new();
    private readonly SigningKey _tomorrowKey;
    private readonly ManualDeviceClock _clock = new();
    private readonly List<string> _notices = [];
    private readonly TurnstileApp _app;
    private int _entitlement = 100;

    public ClockStepTests()
    {
        _tomorrowKey = SigningKey.Generate(TokenFixture.Now + Day - TimeSpan.FromHours(1), TokenFixture.Now + Day + TimeSpan.FromHours(1));
        _clock.UnixMilliseconds = TokenFixture.Now.ToUnixTimeMilliseconds();
        _app = new TurnstileApp(
            _tokens.GateConfig(Venue),
            NSecSignatureVerifier.Instance, new RamFlashStorage(512, 8), new RecordingGatePins(), new ManualTransport(), _clock);
        _app.Notice += (code, _) => _notices.Add(code);

        Assert.True(_app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignKeys(
            4, TokenIssuer.ToKeyEntry(_tokens.EdgeKey), TokenIssuer.ToKeyEntry(_tomorrowKey), TokenIssuer.ToEventKeyEntry(_tokens.EventKey))));
        Assert.True(_app.OnMessage(FirmwareTopics.Snapshot(Venue), Snapshot()));
        Assert.True(_app.OnMessage(FirmwareTopics.Policy(Venue), PolicyFiles.VenueDefaultBytes()));
    }

    public void Dispose()
    {
        _tomorrowKey.Dispose();
        _tokens.Dispose();
    }

    [Fact]
    public void DayForward_TokenIssuedBefore_StillAdmitted()
    {
        Assert.True(Beacon(TimeSpan.Zero));
        byte[] token = Issue(TokenFixture.Now);

        _clock.Advance(TimeSpan.FromSeconds(2));
        bool applied = Beacon(Day);
        FirmwareDecision decision = Scan(token);

        Assert.False(applied);
        Assert.True(decision.Admitted, decision.Reason.ToString());
        Assert.Contains("clock_step", _notices);
        Assert.Equal(TurnstileApp.ClockStateHubStep, _app.ClockState);
        Assert.Contains("\"clockState\":\"hub_step\"", Encoding.UTF8.GetString(_app.BuildStatusJson("online")), StringComparison.Ordinal);
    }

    [Fact]
    public void DayForward_TokenIssuedAfter_DeniedClockUnreliable()
    {
        Assert.True(Beacon(TimeSpan.Zero));

        _clock.Advance(TimeSpan.FromSeconds(2));
        Beacon(Day);
        FirmwareDecision decision = Scan(Issue(TokenFixture.Now + Day, _tomorrowKey));

        Assert.False(decision.Admitted);
        Assert.Equal(RejectReason.ClockUnreliable, decision.Reason);
    }

    [Fact]
    public void DayBack_AfterHeldStep_AppliedAtOnce()
    {
        Assert.True(Beacon(TimeSpan.Zero));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Beacon(Day);

        _clock.Advance(TimeSpan.FromSeconds(2));
        bool applied = Beacon(TimeSpan.Zero, epoch: 1);

        Assert.True(applied);
        Assert.Contains("clock_step_ended", _notices);
        Assert.Equal(TurnstileApp.ClockStateSynchronized, _app.ClockState);
        Assert.True(Scan(Issue(TokenFixture.Now + TimeSpan.FromSeconds(4))).Admitted);
    }

    [Fact]
    public void ReplayedBeacon_SameEpoch_Rejected()
    {
        byte[] old = _tokens.SignedBeacon(TokenFixture.Now.ToUnixTimeMilliseconds());
        Assert.True(_app.OnMessage(FirmwareTopics.Time(Venue), old));
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(Beacon(TimeSpan.Zero));

        bool replayed = _app.OnMessage(FirmwareTopics.Time(Venue), old);

        Assert.False(replayed);
        Assert.Contains("time_rejected", _notices);
    }

    [Fact]
    public void LowerEpoch_Rejected()
    {
        Assert.True(Beacon(TimeSpan.Zero, epoch: 2));
        _clock.Advance(TimeSpan.FromSeconds(2));

        bool applied = Beacon(TimeSpan.Zero, epoch: 1);

        Assert.False(applied);
        Assert.Contains("time_rejected", _notices);
    }

    [Fact]
    public void DayBack_AfterAdoptedStep_AdoptedWithinHold()
    {
        // A controller that started while the hub was a day ahead has only that time.
        Assert.True(Beacon(Day));

        TimeSpan elapsed = TimeSpan.Zero;
        bool applied = false;
        while (!applied && elapsed <= Hold + TimeSpan.FromSeconds(2))
        {
            _clock.Advance(TimeSpan.FromSeconds(2));
            elapsed += TimeSpan.FromSeconds(2);
            applied = Beacon(TimeSpan.Zero, epoch: 1);
            if (!applied)
            {
                Assert.Equal(TurnstileApp.ClockStateHubStep, _app.ClockState);
            }
        }

        Assert.True(applied, "the step back was not adopted within the hold time");
        Assert.True(elapsed >= Hold, $"adopted after {elapsed}, before the hold time {Hold}");
        Assert.Contains("clock_step_adopted", _notices);
        Assert.Equal(TurnstileApp.ClockStateSynchronized, _app.ClockState);
        Assert.True(Scan(Issue(TokenFixture.Now + elapsed)).Admitted);
    }

    [Fact]
    public void SmallStep_AppliedAtOnce()
    {
        Assert.True(Beacon(TimeSpan.Zero));
        _clock.Advance(TimeSpan.FromSeconds(2));

        bool applied = Beacon(TimeSpan.FromSeconds(6));

        Assert.True(applied);
        Assert.Equal(TurnstileApp.ClockStateSynchronized, _app.ClockState);
        Assert.DoesNotContain("clock_step", _notices);
    }

    /// <summary>Sends a beacon at true time (the test's start plus the monotonic time elapsed) plus the hub's error.</summary>
    private bool Beacon(TimeSpan hubError, uint epoch = 0)
    {
        DateTimeOffset trueTime = TokenFixture.Now + TimeSpan.FromTicks(_clock.MonotonicTicks);
        DateTimeOffset hubTime = trueTime + hubError;
        SigningKey key = hubError > TimeSpan.FromHours(12) ? _tomorrowKey : _tokens.EdgeKey;
        return _app.OnMessage(FirmwareTopics.Time(Venue), _tokens.SignedBeacon(hubTime.ToUnixTimeMilliseconds(), key, epoch));
    }

    private byte[] Issue(DateTimeOffset at, SigningKey? key = null) =>
        TokenIssuer.Issue(TokenFixture.Claims(entitlementId: (uint)_entitlement++), key ?? _tokens.EdgeKey, at);

    private FirmwareDecision Scan(byte[] token)
    {
        FirmwareDecision? decision = _app.OnScanLine(QrText.Encode(token), _clock.UnixMilliseconds, _clock.MonotonicTicks);
        Assert.NotNull(decision);
        return decision;
    }

    private static byte[] Snapshot()
    {
        var records = new List<EntitlementRecord>();
        for (uint id = 100; id < 120; id++)
        {
            records.Add(new EntitlementRecord { EntitlementId = id, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid, Epoch = 1 });
        }

        return EntitlementSnapshot.Encode(1, TokenFixture.EventId, records.ToArray());
    }
}
