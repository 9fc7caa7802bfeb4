namespace EdgeIoT.Hub.Clock;

/// <summary>
/// The hub's time ("venue time"). It follows the inner provider's wall clock until the wall
/// clock differs by more than <see cref="StepLimit"/> from the last reading advanced by the
/// monotonic timer. Such a step is held: venue time keeps counting from the last reading by
/// the monotonic timer for up to <see cref="StepHold"/>, then adopts the wall clock. Gates hold
/// a hub clock step the same way, so while an operator sets a wrong date and corrects it, keys,
/// tokens, beacons, online checks and audit entries stay on one timeline that the gates share.
/// </summary>
/// <remarks>
/// Timestamps, timers and the local time zone are the inner provider's, so a fake provider in
/// tests and the simulator drives this clock as it would drive the hub directly.
/// NOTE: the system's monotonic timer (CLOCK_MONOTONIC on Linux) stops while the host is
/// suspended. A hub resumed after more than 30 s holds its correct wall clock as a step for
/// 320 s, and gates see venue time behind by the suspended time until it is adopted.
/// </remarks>
public sealed partial class VenueClock : TimeProvider
{
    /// <summary>Same limit as the gates: a larger difference from the monotonic prediction is a step.</summary>
    public static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(30);

    /// <summary>The longest token lifetime (300 s) plus 20 s of skew, as on the gates.</summary>
    public static readonly TimeSpan StepHold = TimeSpan.FromSeconds(320);

    private readonly TimeProvider _inner;
    private readonly ILogger<VenueClock> _logger;
    private readonly Lock _gate = new();
    private bool _started;
    private DateTimeOffset _anchor;
    private long _anchorTimestamp;
    private long? _heldSinceTimestamp;
    private long _adoptedSteps;

    public VenueClock(TimeProvider inner, ILogger<VenueClock> logger)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(logger);

        _inner = inner;
        _logger = logger;
    }

    /// <summary>The provider whose wall clock this one follows.</summary>
    public TimeProvider Inner => _inner;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => Read().Now;

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>Reads venue time together with the wall clock and the state of a held step.</summary>
    public VenueClockReading Read()
    {
        DateTimeOffset wall = _inner.GetUtcNow();
        long timestamp = _inner.GetTimestamp();
        VenueClockReading reading;
        StepChange change;
        TimeSpan step;
        lock (_gate)
        {
            (reading, change, step) = ReadLocked(wall, timestamp);
        }

        LogChange(change, step, reading);
        return reading;
    }

    private (VenueClockReading Reading, StepChange Change, TimeSpan Step) ReadLocked(DateTimeOffset wall, long timestamp)
    {
        if (!_started)
        {
            _started = true;
            return (Follow(wall, timestamp), StepChange.None, TimeSpan.Zero);
        }

        DateTimeOffset predicted = _anchor + _inner.GetElapsedTime(_anchorTimestamp, timestamp);
        TimeSpan step = wall - predicted;
        if (step.Duration() <= StepLimit)
        {
            StepChange ended = _heldSinceTimestamp is null ? StepChange.None : StepChange.Ended;
            return (Follow(wall, timestamp), ended, step);
        }

        StepChange change = StepChange.None;
        if (_heldSinceTimestamp is null)
        {
            _heldSinceTimestamp = timestamp;
            change = StepChange.Started;
        }

        TimeSpan heldFor = _inner.GetElapsedTime(_heldSinceTimestamp.Value, timestamp);
        if (heldFor < StepHold)
        {
            return (new VenueClockReading(predicted, wall, StepHeld: true, heldFor, _adoptedSteps), change, step);
        }

        _adoptedSteps++;
        VenueClockReading adopted = Follow(wall, timestamp) with { HeldFor = heldFor };
        return (adopted, StepChange.Adopted, step);
    }

    private VenueClockReading Follow(DateTimeOffset wall, long timestamp)
    {
        _anchor = wall;
        _anchorTimestamp = timestamp;
        _heldSinceTimestamp = null;
        return new VenueClockReading(wall, wall, StepHeld: false, TimeSpan.Zero, _adoptedSteps);
    }

    private void LogChange(StepChange change, TimeSpan step, VenueClockReading reading)
    {
        switch (change)
        {
            case StepChange.Started:
                LogStepHeld(Math.Abs(step.TotalSeconds), step > TimeSpan.Zero ? "forward" : "back", StepHold.TotalSeconds);
                break;
            case StepChange.Ended:
                LogStepEnded((long)step.TotalMilliseconds);
                break;
            case StepChange.Adopted:
                LogStepAdopted(Math.Abs(step.TotalSeconds), step > TimeSpan.Zero ? "forward" : "back", reading.HeldFor.TotalSeconds);
                break;
        }
    }

    private enum StepChange
    {
        None,
        Started,
        Ended,
        Adopted,
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning,
        Message = "Hub wall clock stepped {StepSeconds:0.###} s {Direction}; venue time keeps counting by the monotonic timer for up to {HoldSeconds:0} s. Check the hub's date and time")]
    private partial void LogStepHeld(double stepSeconds, string direction, double holdSeconds);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Warning,
        Message = "Hub wall clock agrees with venue time again ({DifferenceMs} ms apart); the held step ended")]
    private partial void LogStepEnded(long differenceMs);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning,
        Message = "Hub adopted a wall clock step of {StepSeconds:0.###} s {Direction} after holding it {HeldSeconds:0} s; venue time jumped")]
    private partial void LogStepAdopted(double stepSeconds, string direction, double heldSeconds);
}
