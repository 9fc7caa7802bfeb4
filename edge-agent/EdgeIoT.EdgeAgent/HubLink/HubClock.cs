namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>
/// Device time corrected by the hub's time beacon. Time checks are trusted only after a
/// beacon arrived and while the device clock is within the allowed offset from the hub,
/// unless the local clock is trusted explicitly.
/// </summary>
public sealed class HubClock
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _maxOffset;
    private readonly bool _trustLocalClock;
    private long _offsetMs;
    private int _beaconReceived;

    public HubClock(TimeProvider timeProvider, TimeSpan maxOffset, bool trustLocalClock)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOffset, TimeSpan.Zero);

        _timeProvider = timeProvider;
        _maxOffset = maxOffset;
        _trustLocalClock = trustLocalClock;
    }

    /// <summary>Raised after each time beacon is applied.</summary>
    public event EventHandler? BeaconApplied;

    /// <summary>Device clock minus hub clock at the last beacon, in milliseconds.</summary>
    public long OffsetMs => Interlocked.Read(ref _offsetMs);

    public bool HasBeacon => Volatile.Read(ref _beaconReceived) == 1;

    /// <summary>True when token times can be checked against <see cref="NowUnixSeconds"/>.</summary>
    public bool IsReliable =>
        _trustLocalClock || (HasBeacon && Math.Abs(OffsetMs) <= (long)_maxOffset.TotalMilliseconds);

    /// <summary>Device time in Unix seconds, corrected to the hub clock when a beacon is known.</summary>
    public uint NowUnixSeconds => (uint)(NowUnixMilliseconds / 1000);

    public long NowUnixMilliseconds
    {
        get
        {
            long local = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            return HasBeacon ? local - OffsetMs : local;
        }
    }

    /// <summary>Records a hub time beacon. The beacon's network delay is counted as part of the offset.</summary>
    public void ApplyBeacon(long hubTimeMs)
    {
        long local = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        Interlocked.Exchange(ref _offsetMs, local - hubTimeMs);
        Volatile.Write(ref _beaconReceived, 1);
        BeaconApplied?.Invoke(this, EventArgs.Empty);
    }
}
