namespace EdgeIoT.Simulator.Faults;

/// <summary>
/// A wall clock shifted from true time, for clock faults. A device's clock adds its own skew
/// to the venue clock's shift, so moving the venue clock moves every device and the hub
/// together, while <see cref="Skew"/> sets one clock off. Timers and timestamps are the
/// system's: only the wall-clock reading moves.
/// </summary>
public sealed class SimulatedClock(SimulatedClock? venue = null) : TimeProvider
{
    private long _skewTicks;

    /// <summary>Offset of this clock from its venue clock (or from true time for the venue clock itself).</summary>
    public TimeSpan Skew
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _skewTicks));
        set => Interlocked.Exchange(ref _skewTicks, value.Ticks);
    }

    /// <summary>Offset of this clock from true time.</summary>
    public TimeSpan Offset => Skew + (venue?.Offset ?? TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
