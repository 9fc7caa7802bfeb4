namespace EdgeIoT.Firmware.Gate
{
    /// <summary>Raised by the passage sensor when a person has gone through the turnstile.</summary>
    public delegate void PassageHandler();

    /// <summary>Raised by a two-state input: true when it became active, false when it returned to rest.</summary>
    public delegate void GateInputHandler(bool active);

    /// <summary>
    /// The turnstile hardware: the release relay, the passage sensor, and optionally a door
    /// position contact and the fire alarm panel's release input. Implementations debounce
    /// their inputs and raise each event only on a change.
    /// </summary>
    public interface IGatePins
    {
        /// <summary>Raised from the sensor's interrupt or polling thread.</summary>
        event PassageHandler Passage;

        /// <summary>
        /// Raised when the door position contact changes: true when the door opened, false when
        /// it closed. A lane without a door contact never raises it.
        /// </summary>
        event GateInputHandler DoorContactChanged;

        /// <summary>
        /// Raised when the fire alarm release input changes: true when the alarm began, false
        /// when it returned to rest. A lane without the input never raises it.
        /// </summary>
        event GateInputHandler FireAlarmChanged;

        /// <summary>True while the fire alarm release input is active; false on a lane without one. Read once at start.</summary>
        bool FireAlarmActive { get; }

        /// <summary>Energizes (true) or releases (false) the relay that unlocks the turnstile.</summary>
        void SetRelay(bool energized);
    }
}
