using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Crypto;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hub.Tests;

/// <summary>The key ring when the hub's wall clock jumps a day while its monotonic timer does not.</summary>
public sealed class KeyRingClockStepTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private readonly SteppedTime _time = new(Start);
    private readonly HubOptions _options;
    private readonly HubDatabase _database;
    private readonly AuditLog _audit;
    private readonly KeyRing _ring;

    public KeyRingClockStepTests()
    {
        _options = new HubOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "edgeiot-key-step-tests", Guid.NewGuid().ToString("N")),
            EventId = 9,
            EventEnd = Start.AddDays(3),
        };
        _options.Keys.RotationInterval = TimeSpan.FromMinutes(20);
        Directory.CreateDirectory(_options.DataDirectory);
        _database = new HubDatabase(_options);
        _database.Migrate();
        _audit = new AuditLog(_database, _time, NullLogger<AuditLog>.Instance);
        _ring = new KeyRing(_database, _options, _time, _audit, NullLogger<KeyRing>.Instance);
        _ring.Load();
    }

    [Fact]
    public void DayForward_SigningKey_StaysListedDuringHold()
    {
        SigningKey before = _ring.SigningKeyAt(Start);

        _time.StepWallClock(TimeSpan.FromDays(1));
        _ring.Rotate();

        Assert.NotNull(_ring.KeyList.Find(before.KeyId));
    }

    [Fact]
    public void DayForward_SigningKey_RetiredAfterHold()
    {
        SigningKey before = _ring.SigningKeyAt(Start);
        _time.StepWallClock(TimeSpan.FromDays(1));
        _ring.Rotate();

        _time.Advance(RetirementClock.StepHold);
        _ring.Rotate();

        Assert.Null(_ring.KeyList.Find(before.KeyId));
    }

    public void Dispose()
    {
        _ring.Dispose();
        _audit.DisposeAsync().AsTask().GetAwaiter().GetResult();
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
