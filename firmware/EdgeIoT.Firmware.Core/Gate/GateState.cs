namespace EdgeIoT.Firmware.Gate
{
    /// <summary>States of one turnstile passage.</summary>
    public enum GateState : byte
    {
        Idle = 0,

        /// <summary>A scan is being decided; further scans are ignored until it ends.</summary>
        Reserved = 1,

        /// <summary>Admitted: the relay was pulsed and the gate waits for the passage sensor.</summary>
        Open = 2,

        /// <summary>The guest walked through.</summary>
        Confirmed = 3,

        /// <summary>Nobody passed before the passage timeout, so the admit did not happen.</summary>
        Annulled = 4,
    }
}
