namespace EdgeIoT.Firmware.Gate
{
    /// <summary>
    /// Receives a gate alarm: <paramref name="cleared"/> is false when it began and true when it
    /// ended (a door forced or held alarm ends when the door closes).
    /// </summary>
    public delegate void GateAlarmHandler(GateAlarm alarm, bool cleared);
}
