using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Tests.Queue;
using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Firmware.Tests.App;

/// <summary>
/// The controller sends a telemetry sample per interval while its link is up, in the hub's
/// DeviceTelemetry form, so the dashboard shows its queue depth and raises clock drift.
/// </summary>
public sealed class TelemetryPublishTests : IDisposable
{
    private const string Venue = "arena";
    private const int Interval = 10_000;
    private readonly TokenFixture _tokens = new();
    private readonly ManualDeviceClock _clock = new();
    private readonly ManualTransport _transport = new() { IsConnected = true };

    public TelemetryPublishTests() => _clock.UnixMilliseconds = TokenFixture.Now.ToUnixTimeMilliseconds();

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public void Tick_OneSamplePerInterval()
    {
        TurnstileApp app = NewApp(Interval);

        app.Tick();
        _clock.Advance(TimeSpan.FromMilliseconds(Interval - 1));
        app.Tick();
        int withinInterval = Samples().Count;
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        app.Tick();

        Assert.Equal(1, withinInterval);
        Assert.Equal(2, Samples().Count);
        Assert.Equal(2, app.TelemetryPublishes);
    }

    [Fact]
    public void Sample_ReportsClockOffsetFromBeacon()
    {
        TurnstileApp app = NewApp(Interval);
        Assert.True(app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignedKeyList));
        Assert.True(app.OnMessage(FirmwareTopics.Time(Venue), _tokens.SignedBeacon(_clock.UnixMilliseconds + 7_000)));

        app.Tick();

        DeviceTelemetry sample = ProtocolJson.Deserialize<DeviceTelemetry>(Assert.Single(Samples()));
        Assert.Equal("gate-1", sample.DeviceId);
        Assert.Equal(-7_000, sample.ClockOffsetMs);
        Assert.Equal(0, sample.OutboxDepth);
        Assert.True(sample.HubConnected);
        Assert.Equal(3u, sample.KeyListVersion);
    }

    [Fact]
    public void Offline_SendsNoSample()
    {
        TurnstileApp app = NewApp(Interval);
        _transport.IsConnected = false;

        app.Tick();

        Assert.Empty(Samples());
    }

    [Fact]
    public void IntervalZero_SendsNoSample()
    {
        TurnstileApp app = NewApp(0);

        app.Tick();

        Assert.Empty(Samples());
    }

    private TurnstileApp NewApp(int telemetryInterval)
    {
        TurnstileConfig config = _tokens.GateConfig(Venue, config => config.TelemetryIntervalMilliseconds = telemetryInterval);
        return new TurnstileApp(config, NSecSignatureVerifier.Instance, new RamFlashStorage(512, 8), new RecordingGatePins(), _transport, _clock);
    }

    private List<byte[]> Samples()
    {
        _transport.AcknowledgeAll();
        return _transport.Acknowledged
            .Where(publish => publish.Topic == FirmwareTopics.Telemetry(Venue, "gate-1") && !publish.AtLeastOnce)
            .Select(publish => publish.Payload)
            .ToList();
    }
}
