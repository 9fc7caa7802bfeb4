using System.Text;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tests.Policy;
using EdgeIoT.Firmware.Tests.Queue;
using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Firmware.Tests.App;

/// <summary>Batch upload from the flash queue: a bounded window of QoS 1 publishes in flight.</summary>
public sealed class OutboxWindowTests : IDisposable
{
    private const string Venue = "arena";
    private const int Window = 4;
    private readonly TokenFixture _tokens = new();
    private readonly ManualDeviceClock _clock = new();
    private readonly RecordingGatePins _pins = new();
    private readonly ManualTransport _transport = new();
    private readonly RamFlashStorage _flash = new(1024, 16);
    private readonly TurnstileApp _app;

    public OutboxWindowTests()
    {
        _clock.UnixMilliseconds = TokenFixture.Now.ToUnixTimeMilliseconds();
        _app = new TurnstileApp(Config(Window), NSecSignatureVerifier.Instance, _flash, _pins, _transport, _clock);
        SendHubState(_app);
    }

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public void Drain_AfterOutage_FillsWindowOnly()
    {
        ScanOffline(10);

        _transport.IsConnected = true;
        _app.OnHubContact();

        Assert.Equal(Window, _transport.PendingCount);
        Assert.Equal(Window, _app.InFlightCount);
        _transport.AcknowledgeNext();
        Assert.Equal(Window, _transport.PendingCount);
        _transport.AcknowledgeAll();
        Assert.Equal(Window, _app.MaxInFlightSeen);
        Assert.Equal(0, _app.QueueDepth);
    }

    [Fact]
    public void Drain_AfterOutage_PublishesInSequenceOrderOnce()
    {
        ScanOffline(10);

        _transport.IsConnected = true;
        _app.OnHubContact();
        _transport.AcknowledgeAll();

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), SentSequences());
    }

    [Fact]
    public void Record_RemovedOnlyAfterItsPuback()
    {
        ScanOffline(6);
        _transport.IsConnected = true;
        _app.OnHubContact();

        Assert.Equal(6, _app.QueueDepth);
        _transport.AcknowledgeNext();
        Assert.Equal(5, _app.QueueDepth);
        _transport.AcknowledgeNext();
        Assert.Equal(4, _app.QueueDepth);
    }

    [Fact]
    public void PublishFails_MidWindow_ResendsFromOldestUnacknowledged()
    {
        ScanOffline(6);
        _transport.IsConnected = true;
        _app.OnHubContact();

        _transport.AcknowledgeNext();
        _transport.FailNext();
        Assert.Equal(3, _transport.PendingCount);
        _transport.AcknowledgeNext();
        _transport.AcknowledgeNext();
        Assert.Equal(1, _transport.PendingCount);
        _transport.AcknowledgeAll();

        // 5 was sent when 1 was acknowledged; 2 is sent again only after the window drained.
        Assert.Equal([1, 3, 4, 5, 2, 6], SentSequences());
        Assert.Equal(0, _app.QueueDepth);
    }

    [Fact]
    public void PublishFails_ThenWatchdogReset_LosesNothing()
    {
        ScanOffline(5);
        _transport.IsConnected = true;
        _app.OnHubContact();
        _transport.AcknowledgeNext();
        _transport.FailAll();

        var rebooted = new TurnstileApp(Config(Window), NSecSignatureVerifier.Instance, _flash, new RecordingGatePins(), _transport, _clock);
        rebooted.OnHubContact();
        _transport.AcknowledgeAll();

        Assert.Equal([1, 2, 3, 4, 5], SentSequences());
        Assert.Equal(0, rebooted.QueueDepth);
    }

    [Fact]
    public void Config_WindowOutOfRange_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new TurnstileApp(Config(0), NSecSignatureVerifier.Instance, new RamFlashStorage(1024, 4), _pins, _transport, _clock));

        Assert.Contains("OutboxWindow 0", error.Message, StringComparison.Ordinal);
    }

    private void ScanOffline(int count)
    {
        for (int i = 0; i < count; i++)
        {
            FirmwareDecision decision = _app.OnScanLine(QrText.Encode(_tokens.Issue()), _clock.UnixMilliseconds, _clock.MonotonicTicks)!;
            Assert.True(decision.Admitted, decision.Reason.ToString());
            _pins.Pass();
        }

        Assert.Equal(count, _app.QueueDepth);
    }

    private List<long> SentSequences() =>
        [.. _transport.Acknowledged.Select(p => ProtocolJson.Deserialize<EdgeEvent>(p.Payload).Seq)];

    private TurnstileConfig Config(int window) => _tokens.GateConfig(Venue, config => config.OutboxWindow = window);

    private void SendHubState(TurnstileApp app)
    {
        byte[] snapshot = EntitlementSnapshot.Encode(1, TokenFixture.EventId,
            [new EntitlementRecord { EntitlementId = 77, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid, Epoch = 1 }]);
        Assert.True(app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignedKeyList));
        Assert.True(app.OnMessage(FirmwareTopics.Snapshot(Venue), snapshot));
        Assert.True(app.OnMessage(FirmwareTopics.Policy(Venue), PolicyFiles.VenueDefaultBytes()));
        Assert.True(app.OnMessage(
            FirmwareTopics.Time(Venue), _tokens.SignedBeacon(TokenFixture.Now.ToUnixTimeMilliseconds())));
    }
}
