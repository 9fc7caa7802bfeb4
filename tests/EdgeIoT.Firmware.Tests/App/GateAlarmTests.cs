using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Gate;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tests.Policy;
using EdgeIoT.Firmware.Tests.Queue;
using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Firmware.Tests.App;

/// <summary>
/// Door contact, fire alarm input and a full flash queue become <c>status</c> events with the
/// details the hub turns into alarms, published through the outbox like every event.
/// </summary>
public sealed class GateAlarmTests : IDisposable
{
    private const string Venue = "arena";
    private const int DoorHeldMilliseconds = 20000;
    private readonly TokenFixture _tokens = new();
    private readonly ManualDeviceClock _clock = new();
    private readonly RecordingGatePins _pins = new();
    private readonly ManualTransport _transport = new();
    private readonly RamFlashStorage _flash = new(512, 8);
    private TurnstileApp _app;

    public GateAlarmTests()
    {
        _clock.UnixMilliseconds = TokenFixture.Now.ToUnixTimeMilliseconds();
        _app = NewApp();
    }

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public void Details_StartWithProtocolWords()
    {
        Assert.Equal(StatusDetails.DoorForced, FirmwareStatusDetails.DoorForced);
        Assert.Equal(StatusDetails.DoorHeld, FirmwareStatusDetails.DoorHeld);
        Assert.Equal(StatusDetails.DoorClosed, FirmwareStatusDetails.DoorClosed);
        Assert.Equal(StatusDetails.FireRelease, FirmwareStatusDetails.FireRelease);
        Assert.Equal(StatusDetails.FireCleared, FirmwareStatusDetails.FireCleared);
        Assert.Equal(StatusDetails.OutboxFull, FirmwareStatusDetails.OutboxFull);
    }

    [Fact]
    public void DoorOpens_NoAdmit_SendsForcedThenClosed()
    {
        _pins.OpenDoor();
        _pins.CloseDoor();

        string[] details = PublishStatusEvents();

        Assert.Equal(2, details.Length);
        Assert.StartsWith(StatusDetails.DoorForced + ":", details[0], StringComparison.Ordinal);
        Assert.StartsWith(StatusDetails.DoorClosed + ":", details[1], StringComparison.Ordinal);
        Assert.Contains("door forced alarm ended", details[1], StringComparison.Ordinal);
    }

    [Fact]
    public void DoorOpenForAdmit_PastTimeout_SendsHeld()
    {
        Admit();
        _pins.OpenDoor();
        _pins.Pass();

        _clock.Advance(TimeSpan.FromMilliseconds(DoorHeldMilliseconds - 1));
        _app.Tick();
        int storedBeforeTimeout = _app.QueueDepth;
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        _app.Tick();
        _pins.CloseDoor();

        Assert.Equal(1, storedBeforeTimeout);
        string[] details = PublishStatusEvents();
        Assert.Equal(2, details.Length);
        Assert.Equal(StatusDetails.DoorHeld + ": the door stayed open more than 20000 ms after an admit", details[0]);
        Assert.Equal(StatusDetails.DoorClosed + ": the door held alarm ended", details[1]);
    }

    [Fact]
    public void DoorOpenForAdmit_ClosedInTime_SendsNothing()
    {
        Admit();
        _pins.OpenDoor();
        _pins.Pass();
        _clock.Advance(TimeSpan.FromSeconds(2));
        _app.Tick();
        _pins.CloseDoor();

        _clock.Advance(TimeSpan.FromMilliseconds(DoorHeldMilliseconds));
        _app.Tick();

        Assert.Empty(PublishStatusEvents());
    }

    [Fact]
    public void DoorOpenForAdmit_NobodyPasses_SendsAnnulledThenHeld()
    {
        Admit();
        _pins.OpenDoor();

        _clock.Advance(TimeSpan.FromMilliseconds(new TurnstileConfig().PassageTimeoutMilliseconds));
        _app.Tick();
        _clock.Advance(TimeSpan.FromMilliseconds(DoorHeldMilliseconds));
        _app.Tick();

        string[] details = PublishStatusEvents();
        Assert.Equal(2, details.Length);
        Assert.StartsWith("admit annulled", details[0], StringComparison.Ordinal);
        Assert.StartsWith(StatusDetails.DoorHeld + ":", details[1], StringComparison.Ordinal);
    }

    [Fact]
    public void FireAlarm_ActiveThenRest_HoldsRelayAndReports()
    {
        _pins.SetFireAlarm(true);
        bool heldDuringAlarm = _pins.RelayEnergized && _app.FireReleaseActive;
        _clock.Advance(TimeSpan.FromMinutes(5));
        _app.Tick();
        bool stillHeld = _pins.RelayEnergized;
        _pins.SetFireAlarm(false);

        Assert.True(heldDuringAlarm);
        Assert.True(stillHeld);
        Assert.False(_pins.RelayEnergized);
        Assert.False(_app.FireReleaseActive);
        string[] details = PublishStatusEvents();
        Assert.Equal(2, details.Length);
        Assert.StartsWith(StatusDetails.FireRelease + ":", details[0], StringComparison.Ordinal);
        Assert.StartsWith(StatusDetails.FireCleared + ":", details[1], StringComparison.Ordinal);
    }

    [Fact]
    public void FireAlarm_ActiveAtStart_ReleasesLaneAtOnce()
    {
        var pins = new RecordingGatePins { FireAlarmActive = true };

        var app = new TurnstileApp(Config(), NSecSignatureVerifier.Instance, new RamFlashStorage(512, 8), pins, _transport, _clock);

        Assert.True(pins.RelayEnergized);
        Assert.True(app.FireReleaseActive);
        Assert.Equal(1, app.QueueDepth);
    }

    [Fact]
    public void FireRelease_AdmitPulseEnds_RelayStaysEnergized()
    {
        SendRetained();
        _pins.SetFireAlarm(true);
        FirmwareDecision decision = Scan();

        _clock.Advance(TimeSpan.FromSeconds(1));
        _app.Tick();

        Assert.True(decision.Admitted, decision.Reason.ToString());
        Assert.True(_pins.RelayEnergized);
    }

    [Fact]
    public void FireRelease_GuestsLeave_NoForcedNoTailgate()
    {
        _pins.SetFireAlarm(true);

        _pins.OpenDoor();
        _pins.Pass();
        _pins.Pass();
        _pins.CloseDoor();

        string detail = Assert.Single(PublishStatusEvents());
        Assert.StartsWith(StatusDetails.FireRelease, detail, StringComparison.Ordinal);
        Assert.Equal(0, _app.TailgateCount);
    }

    [Fact]
    public void Alarm_DuringOutage_ReachesHubWhenLinkReturns()
    {
        _pins.OpenDoor();
        _app.Tick();
        int publishedOffline = _transport.PendingCount;

        string detail = Assert.Single(PublishStatusEvents());

        Assert.Equal(0, publishedOffline);
        Assert.StartsWith(StatusDetails.DoorForced, detail, StringComparison.Ordinal);
        Assert.Equal(0, _app.QueueDepth);
    }

    [Fact]
    public void QueueFull_OneOutboxFullPerEpisode()
    {
        SendRetained();
        FillQueue();
        bool fullAfterFirst = _app.QueueFull;
        string[] first = PublishStatusEvents();

        FillQueue();
        string[] second = PublishStatusEvents();

        Assert.True(fullAfterFirst);
        string alarm = Assert.Single(first, detail => detail.StartsWith(StatusDetails.OutboxFull, StringComparison.Ordinal));
        Assert.Contains("refused a decision event", alarm, StringComparison.Ordinal);
        Assert.Single(second, detail => detail.StartsWith(StatusDetails.OutboxFull, StringComparison.Ordinal));
    }

    [Fact]
    public void QueueFull_AfterReset_ReportsAgainOnce()
    {
        SendRetained();
        FillQueue();

        _app = NewApp();
        SendRetained();
        FillQueue();

        string[] details = PublishStatusEvents();
        Assert.Equal(2, details.Count(detail => detail.StartsWith(StatusDetails.OutboxFull, StringComparison.Ordinal)));
    }

    private TurnstileApp NewApp() =>
        new(Config(), NSecSignatureVerifier.Instance, _flash, _pins, _transport, _clock);

    private TurnstileConfig Config() =>
        _tokens.GateConfig(Venue, config => config.DoorHeldMilliseconds = DoorHeldMilliseconds);

    private void Admit()
    {
        SendRetained();
        FirmwareDecision decision = Scan();
        Assert.True(decision.Admitted, decision.Reason.ToString());
    }

    private FirmwareDecision Scan() =>
        _app.OnScanLine(QrText.Encode(_tokens.Issue()), _clock.UnixMilliseconds, _clock.MonotonicTicks)!;

    /// <summary>Scans paid guests with the link down until the queue refuses events, and a few more.</summary>
    private void FillQueue()
    {
        _transport.IsConnected = false;
        for (int i = 0; i < 20; i++)
        {
            Scan();
            _pins.Pass();
        }

        Assert.True(_app.QueueFull);
    }

    /// <summary>Connects, publishes every queued event and returns the status events' details, oldest first.</summary>
    private string[] PublishStatusEvents()
    {
        _transport.IsConnected = true;
        _transport.Acknowledged.Clear();
        _app.Tick();
        _transport.AcknowledgeAll();
        Assert.Equal(0, _app.QueueDepth);
        return StatusDetailsOf(_transport);
    }

    private static string[] StatusDetailsOf(ManualTransport transport) =>
    [
        .. transport.Acknowledged
            .Where(publish => publish.Topic == Topics.Event(Venue, "gate-1", EventKinds.Status))
            .Select(publish => ProtocolJson.Deserialize<EdgeEvent>(publish.Payload).Detail!),
    ];

    private void SendRetained()
    {
        byte[] snapshot = EntitlementSnapshot.Encode(1, TokenFixture.EventId,
        [
            new EntitlementRecord { EntitlementId = 77, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid, Epoch = 1 },
        ]);
        _app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignedKeyList);
        _app.OnMessage(FirmwareTopics.Snapshot(Venue), snapshot);
        _app.OnMessage(FirmwareTopics.Policy(Venue), PolicyFiles.VenueDefaultBytes());
        Assert.True(_app.OnMessage(FirmwareTopics.Time(Venue), _tokens.SignedBeacon(_clock.UnixMilliseconds)));
    }
}
