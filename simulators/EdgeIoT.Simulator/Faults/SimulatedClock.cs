using System.Diagnostics;

namespace EdgeIoT.Simulator.Faults;

/// <summary>
/// A wall clock shifted from true time, for clock faults. A device's clock adds its own skew
/// to the venue clock's shift, so moving the venue clock moves every device and the hub
/// together, while <see cref="Skew"/> sets one clock off. Timers are the system's.
/// </summary>
/// <remarks>
/// Setting <see cref="Skew"/> steps the wall clock only, as a wrong clock does: monotonic
/// timestamps keep their pace, so devices see a hub step for what it is. <see cref="Advance"/>
/// models time passing instead, and moves the timestamps by the same amount, so devices that
/// compare hub time with their own elapsed time see nothing unusual.
/// </remarks>
public sealed class SimulatedClock(SimulatedClock? venue = null) : TimeProvider
{
    private long _skewTicks;
    private long _advancedTicks;

    /// <summary>Offset of this clock from its venue clock (or from true time for the venue clock itself).</summary>
    public TimeSpan Skew
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _skewTicks));
        set => Interlocked.Exchange(ref _skewTicks, value.Ticks);
    }

    /// <summary>Offset of this clock from true time.</summary>
    public TimeSpan Offset => Skew + (venue?.Offset ?? TimeSpan.Zero);

    /// <summary>Time passed by <see cref="Advance"/> on this clock and its venue clock.</summary>
    private TimeSpan Advanced => TimeSpan.FromTicks(Interlocked.Read(ref _advancedTicks)) + (venue?.Advanced ?? TimeSpan.Zero);

    /// <summary>Lets <paramref name="span"/> pass at once: the wall clock and the timestamps both move.</summary>
    public void Advance(TimeSpan span)
    {
        Interlocked.Add(ref _advancedTicks, span.Ticks);
        Interlocked.Add(ref _skewTicks, span.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public override long GetTimestamp() =>
        System.GetTimestamp() + (long)(Advanced.Ticks * ((double)Stopwatch.Frequency / TimeSpan.TicksPerSecond));

    public override long TimestampFrequency => Stopwatch.Frequency;
}
