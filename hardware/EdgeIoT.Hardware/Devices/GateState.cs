namespace EdgeIoT.Hardware;

/// <summary>
/// Gate state. <see cref="Alarm"/> means a passage without an opening (forced or tailgating)
/// or a relay fault; the next <see cref="IGate.Open"/> clears it.
/// </summary>
public enum GateState
{
    Closed,
    Open,
    Alarm,

    /// <summary>The fire alarm input is active and the relay is held energized until it clears.</summary>
    FireRelease,
}
