namespace EdgeIoT.Hub.Keys;

/// <summary>
/// The time by which the key ring retires edge keys. When the hub clock jumps forward by more
/// than <see cref="StepLimit"/>, keys that signed tokens still in guests' hands would be
/// retired at once and those tokens denied <c>unknown_kid</c>. So for up to
/// <see cref="StepHold"/> this clock keeps counting from the last reading by the monotonic
/// timer, as the devices' clocks do, and follows the clock it reads again after that.
/// </summary>
/// <remarks>
/// The hub's <see cref="Clock.VenueClock"/> already holds a wall clock step, but venue time
/// itself jumps when it adopts the step after its hold. Tokens issued during the hold carry
/// the held time, and the devices hold the adopted jump for another 320 s, so the keys that
/// signed those tokens stay listed for that long too.
/// </remarks>
internal sealed class RetirementClock(TimeProvider time)
{
    /// <summary>Same limit as the devices: a larger difference from the monotonic prediction is a step.</summary>
    public static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(30);

    /// <summary>The longest token lifetime (300 s) plus 20 s of skew, as on the devices.</summary>
    public static readonly TimeSpan StepHold = TimeSpan.FromSeconds(320);

    private DateTimeOffset _anchor;
    private long _anchorTimestamp;
    private long? _stepSinceTimestamp;
    private bool _started;

    /// <summary>Returns the time to retire keys by, given the wall-clock time <paramref name="now"/>.</summary>
    public DateTimeOffset Now(DateTimeOffset now)
    {
        long timestamp = time.GetTimestamp();
        if (_started)
        {
            DateTimeOffset predicted = _anchor + time.GetElapsedTime(_anchorTimestamp, timestamp);
            if (now - predicted > StepLimit)
            {
                _stepSinceTimestamp ??= timestamp;
                if (time.GetElapsedTime(_stepSinceTimestamp.Value, timestamp) < StepHold)
                {
                    return predicted;
                }
            }
        }

        _started = true;
        _stepSinceTimestamp = null;
        _anchor = now;
        _anchorTimestamp = timestamp;
        return now;
    }
}
