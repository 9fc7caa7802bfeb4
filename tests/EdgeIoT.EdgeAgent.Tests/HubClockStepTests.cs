using EdgeIoT.EdgeAgent.HubLink;

namespace EdgeIoT.EdgeAgent.Tests;

/// <summary>A hub clock step of a day, forward and back, as the agent's clock receives it.</summary>
public sealed class HubClockStepTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan BeaconInterval = TimeSpan.FromSeconds(2);

    private readonly SteppedTime _time = new();
    private readonly HubClock _clock;
    private readonly List<string> _changes = [];

    public HubClockStepTests()
    {
        _clock = new HubClock(_time, TimeSpan.FromSeconds(30), trustLocalClock: false);
        _clock.StepChanged += (_, change) => _changes.Add(change);
    }

    [Fact]
    public void DayForward_HeldAndTimeKept()
    {
        Assert.True(_clock.ApplyBeacon(HubTimeMs(TimeSpan.Zero)));
        long before = _clock.NowUnixMilliseconds;

        _time.Advance(BeaconInterval);
        bool applied = _clock.ApplyBeacon(HubTimeMs(Day));

        Assert.False(applied);
        Assert.True(_clock.StepHeld);
        Assert.True(_clock.IsReliable);
        Assert.Equal(ClockStates.HubStep, _clock.State);
        Assert.Equal(before + (long)BeaconInterval.TotalMilliseconds, _clock.NowUnixMilliseconds);
        Assert.Single(_changes);
        Assert.Contains("stepped 86400000 ms", _changes[0], StringComparison.Ordinal);
    }

    [Fact]
    public void DayBack_AfterHeldStep_AppliedAtOnce()
    {
        _clock.ApplyBeacon(HubTimeMs(TimeSpan.Zero));
        _time.Advance(BeaconInterval);
        _clock.ApplyBeacon(HubTimeMs(Day));

        _time.Advance(BeaconInterval);
        bool applied = _clock.ApplyBeacon(HubTimeMs(TimeSpan.Zero));

        Assert.True(applied);
        Assert.False(_clock.StepHeld);
        Assert.Equal(ClockStates.Synchronized, _clock.State);
    }

    [Fact]
    public void PersistentStep_AdoptedAfterHold()
    {
        _clock.ApplyBeacon(HubTimeMs(TimeSpan.Zero));

        TimeSpan held = TimeSpan.Zero;
        bool applied = false;
        while (!applied && held <= HubClock.DefaultStepHold + BeaconInterval)
        {
            _time.Advance(BeaconInterval);
            applied = _clock.ApplyBeacon(HubTimeMs(-Day));
            held += BeaconInterval;
        }

        Assert.True(applied, "the step was never adopted");
        Assert.True(held >= HubClock.DefaultStepHold, $"adopted after {held}");
        Assert.False(_clock.StepHeld);
        Assert.Contains("adopted", _changes[^1], StringComparison.Ordinal);

        // A day off the device's own clock is beyond MaxClockOffset, so time checks stop.
        Assert.Equal(ClockStates.Unreliable, _clock.State);
    }

    [Fact]
    public void SmallStep_AppliedAtOnce()
    {
        _clock.ApplyBeacon(HubTimeMs(TimeSpan.Zero));
        _time.Advance(BeaconInterval);

        bool applied = _clock.ApplyBeacon(HubTimeMs(TimeSpan.FromSeconds(4)));

        Assert.True(applied);
        Assert.Empty(_changes);
    }

    private long HubTimeMs(TimeSpan hubError) => (_time.GetUtcNow() + hubError).ToUnixTimeMilliseconds();

    /// <summary>Wall clock and monotonic timestamp that the test advances together.</summary>
    private sealed class SteppedTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        private long _timestamp;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => _now;

        public override long GetTimestamp() => _timestamp;

        public void Advance(TimeSpan by)
        {
            _now += by;
            _timestamp += by.Ticks;
        }
    }
}
