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
}
