using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Checks;
using EdgeIoT.Hub.Clock;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Mqtt;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// The hub's venue time when its wall clock steps a day while its monotonic timer does not:
/// keys, tokens and beacons as DistributionService and TokenService produce them, every 2 s.
/// </summary>
public sealed class VenueClockTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan BeaconInterval = TimeSpan.FromSeconds(2);

    private readonly SteppedTime _wall = new(Start);
    private readonly CapturedLogs _logs = new();
    private readonly LoggerFactory _loggerFactory;
    private readonly VenueClock _clock;
    private readonly HubOptions _options;
    private readonly HubDatabase _database;
    private readonly AuditLog _audit;
    private readonly KeyRing _ring;
    private readonly TokenService _tokens;
    private readonly BeaconEpoch _epoch;

    public VenueClockTests()
    {
        _loggerFactory = new LoggerFactory([_logs]);
        _clock = new VenueClock(_wall, _loggerFactory.CreateLogger<VenueClock>());
        _options = new HubOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "edgeiot-venue-clock-tests", Guid.NewGuid().ToString("N")),
            EventId = 9,
            EventEnd = Start.AddDays(3),
        };

        // One minute, the simulator's shortest interval: shorter than the 320 s hold, so the
        // wall clock's keys rotate during it.
        _options.Keys.RotationInterval = TimeSpan.FromMinutes(1);
        Directory.CreateDirectory(_options.DataDirectory);
        _database = new HubDatabase(_options);
        _database.Migrate();
        _audit = new AuditLog(_database, _clock, _loggerFactory.CreateLogger<AuditLog>());
        _ring = new KeyRing(_database, _options, _clock, _audit, _loggerFactory.CreateLogger<KeyRing>());
        _ring.Load();
        _tokens = new TokenService(_ring, _options, _clock, _audit);
        _epoch = new BeaconEpoch(_database, _clock, _loggerFactory.CreateLogger<BeaconEpoch>());
    }

    [Fact]
    public void DayForward_Held_VenueTimeKeepsCounting()
    {
        TimeBeacon first = Tick();

        _wall.StepWallClock(Day);
        TimeBeacon second = Tick();

        VenueClockReading reading = _clock.Read();
        Assert.True(reading.StepHeld);
        Assert.Equal(Day, reading.WallClockDifference);
        Assert.Equal(first.HubTimeMs + (long)BeaconInterval.TotalMilliseconds, second.HubTimeMs);
        Assert.Equal(first.Epoch, second.Epoch);
        CapturedLogs.LogEntry stepLogged = Assert.Single(_logs.AtLeast(LogLevel.Warning));
        Assert.Equal(2101, stepLogged.EventId);
        Assert.Contains("86400 s forward", stepLogged.Message, StringComparison.Ordinal);
        Assert.Contains("320 s", stepLogged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DayForward_Token_StampedWithHeldTime()
    {
        Tick();
        _wall.StepWallClock(Day);
        TimeBeacon beacon = Tick();

        string qrText = _tokens.Issue(Guest()).Token;
        uint heldSeconds = (uint)(_clock.GetUtcNow().ToUnixTimeSeconds());

        Assert.Null(CheckBeacon(beacon, _ring.KeyList));
        Assert.Equal(RejectReason.None, QrText.TryDecode(qrText, out byte[] token));
        VerifyResult verdict = VerifyAt(token, heldSeconds, _ring.KeyList);
        Assert.Equal(RejectReason.None, verdict.Reason);
        Assert.Equal(heldSeconds, verdict.Claims.IssuedAtUnixSeconds);
        Assert.NotNull(_ring.KeyList.Find(verdict.Claims.KeyId));
    }

    [Fact]
    public void DayForward_WallClockKeys_ListedDuringHold()
    {
        Tick();

        _wall.StepWallClock(Day);
        Tick();

        DateTimeOffset wall = _wall.GetUtcNow();
        Assert.Contains(Entries(_ring.KeyList), entry => Covers(entry, wall));
        Assert.Contains(Entries(_ring.KeyList), entry => Covers(entry, wall + _options.Keys.RotationInterval));
    }

    [Fact]
    public void StepBackInsideHold_EndsHold()
    {
        TimeBeacon first = Tick();
        _wall.StepWallClock(Day);
        Tick();

        _wall.StepWallClock(-Day);
        TimeBeacon after = Tick();

        VenueClockReading reading = _clock.Read();
        Assert.False(reading.StepHeld);
        Assert.Equal(TimeSpan.Zero, reading.WallClockDifference);
        Assert.Equal(_wall.GetUtcNow().ToUnixTimeMilliseconds(), after.HubTimeMs);
        Assert.Equal(first.Epoch, after.Epoch);
        Assert.Equal(2102, _logs.AtLeast(LogLevel.Warning).Last().EventId);
        Assert.DoesNotContain(Entries(_ring.KeyList), entry => Covers(entry, _wall.GetUtcNow() + Day));
    }

    [Fact]
    public void DayBack_Held_BeaconsMoveForward()
    {
        TimeBeacon first = Tick();

        _wall.StepWallClock(-Day);
        TimeBeacon second = Tick();

        Assert.True(_clock.Read().StepHeld);
        Assert.Equal(-Day, _clock.Read().WallClockDifference);
        Assert.Equal(first.HubTimeMs + (long)BeaconInterval.TotalMilliseconds, second.HubTimeMs);
        Assert.Equal(first.Epoch, second.Epoch);
        Assert.Null(CheckBeacon(second, _ring.KeyList));
        Assert.Contains(Entries(_ring.KeyList), entry => Covers(entry, _wall.GetUtcNow()));
    }

    [Fact]
    public void DayForward_AdoptedAfterHold_RaisesEpoch()
    {
        TimeBeacon first = Tick();
        _wall.StepWallClock(Day);

        TimeBeacon last = Tick();
        TimeSpan heldFor = BeaconInterval;
        KeyList listedBefore = _ring.KeyList;
        while (_clock.Read().StepHeld)
        {
            listedBefore = _ring.KeyList;
            last = Tick();
            heldFor += BeaconInterval;
        }

        Assert.Equal(_wall.GetUtcNow().ToUnixTimeMilliseconds(), last.HubTimeMs);
        Assert.Equal(first.Epoch + 1, last.Epoch);
        Assert.True(heldFor >= VenueClock.StepHold, $"adopted after {heldFor}");
        Assert.Contains(_logs.AtLeast(LogLevel.Warning), entry => entry.EventId == 2103);

        // The key that signs the first beacon and token on the adopted time was listed before.
        Assert.Null(CheckBeacon(last, listedBefore));
        Assert.Equal(RejectReason.None, QrText.TryDecode(_tokens.Issue(Guest()).Token, out byte[] token));
        Assert.Equal(RejectReason.None, VerifyAt(token, (uint)_wall.GetUtcNow().ToUnixTimeSeconds(), listedBefore).Reason);
    }

    [Fact]
    public void Adoption_HeldTimeKeys_StayListed()
    {
        Tick();
        _wall.StepWallClock(Day);
        Tick();
        ulong heldKey = _ring.SigningKeyAt(_clock.GetUtcNow()).KeyId;

        while (_clock.Read().StepHeld)
        {
            heldKey = _ring.SigningKeyAt(_clock.GetUtcNow()).KeyId;
            Tick();
        }

        Assert.NotNull(_ring.KeyList.Find(heldKey));
    }

    public void Dispose()
    {
        _ring.Dispose();
        _audit.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _loggerFactory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_options.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a folder in the temp directory behind.
        }
    }

    private static IEnumerable<KeyEntry> Entries(KeyList keys) =>
        Enumerable.Range(0, keys.Count).Select(keys.GetEntry).Where(entry => !entry.EventKey);

    private static bool Covers(KeyEntry entry, DateTimeOffset time) =>
        entry.NotBeforeUnixSeconds <= time.ToUnixTimeSeconds() && time.ToUnixTimeSeconds() < entry.NotAfterUnixSeconds;

    private static Entitlement Guest() => new() { Id = 7, TicketType = "GA", Role = GuestRole.Guest };

    private string? CheckBeacon(TimeBeacon beacon, KeyList keys) => TimeBeaconSignature.Check(
        NSecSignatureVerifier.Instance, keys, _options.EventId, beacon.Epoch, beacon.HubTimeMs, beacon.Kid!, beacon.Signature!);

    private VerifyResult VerifyAt(byte[] token, uint deviceTimeUnixSeconds, KeyList keys)
    {
        var verifier = new TokenVerifier(NSecSignatureVerifier.Instance, _options.EventId, _options.Keys.ClockSkewSeconds);
        Assert.True(verifier.TryInstallKeys(keys));
        return verifier.Verify(token, deviceTimeUnixSeconds, clockReliable: true, gateZone: 0, revocations: null!, seen: null!);
    }

    // One turn of the distribution loop: rotate the keys, then sign a beacon at venue time.
    private TimeBeacon Tick()
    {
        _wall.Advance(BeaconInterval);
        _ring.Rotate();
        DateTimeOffset now = _clock.GetUtcNow();
        long hubTimeMs = now.ToUnixTimeMilliseconds();
        return BeaconSigner.Sign(_ring.SigningKeyAt(now), _options.EventId, _epoch.EpochAt(hubTimeMs), hubTimeMs);
    }

    /// <summary>A wall clock that can jump on its own, and a monotonic timer that only advances.</summary>
    private sealed class SteppedTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;
        private long _timestamp;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => _now;

        public override long GetTimestamp() => _timestamp;

        public void StepWallClock(TimeSpan by) => _now += by;

        public void Advance(TimeSpan by)
        {
            _now += by;
            _timestamp += by.Ticks;
        }
    }
}
