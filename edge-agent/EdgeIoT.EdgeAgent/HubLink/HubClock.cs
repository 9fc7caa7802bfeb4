namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>
/// Device time corrected by the hub's time beacon. Time checks are trusted only after a
/// beacon arrived and while the device clock is within the allowed offset from the hub,
/// unless the local clock is trusted explicitly. A beacon that differs from the time the last
/// one predicts by more than <see cref="DefaultStepLimit"/> is a hub clock step: the clock
/// keeps its correction and reports <see cref="ClockStates.HubStep"/> until the step ends or
/// has lasted the hold time, after which it is adopted.
/// </summary>
public sealed class HubClock
{
    /// <summary>Largest beacon difference from the predicted hub time applied at once.</summary>
    public static readonly TimeSpan DefaultStepLimit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a hub clock step is held before it is adopted: the longest token lifetime (300 s)
    /// plus the default skew (20 s). Every token issued before the step has then expired in true
    /// time when the corrected time jumps.
    /// </summary>
    public static readonly TimeSpan DefaultStepHold = TimeSpan.FromSeconds(320);

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _maxOffset;
    private readonly bool _trustLocalClock;
    private readonly TimeSpan _stepHold;
    private readonly Lock _gate = new();
    private long _offsetMs;
    private int _beaconReceived;
    private long _anchorHubTimeMs;
    private long _anchorTimestamp;
    private long _stepSinceTimestamp;
    private int _stepHeld;

    public HubClock(TimeProvider timeProvider, TimeSpan maxOffset, bool trustLocalClock, TimeSpan? stepHold = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOffset, TimeSpan.Zero);

        _timeProvider = timeProvider;
        _maxOffset = maxOffset;
        _trustLocalClock = trustLocalClock;
        _stepHold = stepHold ?? DefaultStepHold;
    }

    /// <summary>Raised after each time beacon is applied.</summary>
    public event EventHandler? BeaconApplied;

    /// <summary>Raised when a hub clock step starts being held, ends, or is adopted. The argument describes the change and the step size.</summary>
    public event EventHandler<string>? StepChanged;

    /// <summary>Device clock minus hub clock at the last beacon, in milliseconds.</summary>
    public long OffsetMs => Interlocked.Read(ref _offsetMs);

    public bool HasBeacon => Volatile.Read(ref _beaconReceived) == 1;

    /// <summary>True while a hub clock step is held: time checks keep the last correction.</summary>
    public bool StepHeld => Volatile.Read(ref _stepHeld) == 1;

    /// <summary>True when token times can be checked against <see cref="NowUnixSeconds"/>.</summary>
    public bool IsReliable =>
        _trustLocalClock || (HasBeacon && Math.Abs(OffsetMs) <= (long)_maxOffset.TotalMilliseconds);

    /// <summary>One of <see cref="ClockStates"/>, for the device status.</summary>
    public string State => !IsReliable ? ClockStates.Unreliable
        : StepHeld ? ClockStates.HubStep
        : ClockStates.Synchronized;

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

    /// <summary>
    /// Records a hub time beacon. The beacon's network delay is counted as part of the offset.
    /// Returns false when the beacon is held back as a hub clock step.
    /// </summary>
    public bool ApplyBeacon(long hubTimeMs)
    {
        string? change = null;
        bool applied;
        lock (_gate)
        {
            long now = _timeProvider.GetTimestamp();
            applied = !(HasBeacon && IsStepHeld(hubTimeMs, now, out change));
            if (applied)
            {
                long local = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
                Interlocked.Exchange(ref _offsetMs, local - hubTimeMs);
                _anchorHubTimeMs = hubTimeMs;
                _anchorTimestamp = now;
                Volatile.Write(ref _beaconReceived, 1);
            }
        }

        if (change is not null)
        {
            StepChanged?.Invoke(this, change);
        }

        if (applied)
        {
            BeaconApplied?.Invoke(this, EventArgs.Empty);
        }

        return applied;
    }

    // NOTE: a step in a beacon with a higher epoch is held like any other. The hub raises the
    // epoch when it adopts a wall clock step it held for 320 s. During that hold it issued
    // tokens stamped with the held time, so applying the jump at once would deny them as
    // expired or not_yet_valid.
    private bool IsStepHeld(long hubTimeMs, long now, out string? change)
    {
        long predictedMs = _anchorHubTimeMs + (long)_timeProvider.GetElapsedTime(_anchorTimestamp, now).TotalMilliseconds;
        long stepMs = hubTimeMs - predictedMs;
        change = null;
        if (Math.Abs(stepMs) <= (long)DefaultStepLimit.TotalMilliseconds)
        {
            if (StepHeld)
            {
                Volatile.Write(ref _stepHeld, 0);
                change = "hub time agrees with the device time again";
            }

            return false;
        }

        if (!StepHeld)
        {
            _stepSinceTimestamp = now;
            Volatile.Write(ref _stepHeld, 1);
            change = $"hub clock stepped {stepMs} ms; time checks keep the device time for up to {_stepHold.TotalSeconds:F0} s";
        }

        TimeSpan held = _timeProvider.GetElapsedTime(_stepSinceTimestamp, now);
        if (held < _stepHold)
        {
            return true;
        }

        Volatile.Write(ref _stepHeld, 0);
        change = $"hub clock step of {stepMs} ms adopted after {held.TotalSeconds:F0} s";
        return false;
    }
}
