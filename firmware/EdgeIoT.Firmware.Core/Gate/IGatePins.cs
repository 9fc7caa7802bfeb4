namespace EdgeIoT.Firmware.Gate
{
    /// <summary>Raised by the passage sensor when a person has gone through the turnstile.</summary>
    public delegate void PassageHandler();

    /// <summary>The turnstile hardware: the release relay and the passage sensor.</summary>
    public interface IGatePins
    {
        /// <summary>Raised from the sensor's interrupt or polling thread.</summary>
        event PassageHandler Passage;

        /// <summary>Energizes (true) or releases (false) the relay that unlocks the turnstile.</summary>
        void SetRelay(bool energized);
    }
}
