namespace EdgeIoT.Hardware;

/// <summary>An alarm a gate raised, with the pin that reported it.</summary>
public sealed class GateAlarmEventArgs(GateAlarm alarm, int pin) : EventArgs
{
    public GateAlarm Alarm { get; } = alarm;

    public int Pin { get; } = pin;
}
