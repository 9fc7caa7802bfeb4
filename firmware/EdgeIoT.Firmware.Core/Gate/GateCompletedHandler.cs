namespace EdgeIoT.Firmware.Gate
{
    /// <summary>Receives the end of a passage: <see cref="GateState.Confirmed"/> or <see cref="GateState.Annulled"/>.</summary>
    public delegate void GateCompletedHandler(GateState finalState, long nowMilliseconds);
}
