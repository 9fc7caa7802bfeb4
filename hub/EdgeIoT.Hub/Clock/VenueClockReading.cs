namespace EdgeIoT.Hub.Clock;

/// <summary>One reading of <see cref="VenueClock"/>: the venue time, the wall clock behind it, and the held step.</summary>
/// <param name="Now">The venue time, which the hub stamps on tokens, beacons and audit entries.</param>
/// <param name="WallClock">The inner provider's wall clock at the same moment.</param>
/// <param name="StepHeld">True while venue time counts by the monotonic timer against a stepped wall clock.</param>
/// <param name="HeldFor">How long the current step has been held; zero when no step is held.</param>
/// <param name="AdoptedSteps">Steps adopted since the hub started, so a reader can tell that venue time jumped.</param>
public readonly record struct VenueClockReading(
    DateTimeOffset Now, DateTimeOffset WallClock, bool StepHeld, TimeSpan HeldFor, long AdoptedSteps)
{
    /// <summary>Wall clock minus venue time: about a day while a day-forward step is held, zero otherwise.</summary>
    public TimeSpan WallClockDifference => WallClock - Now;
}
