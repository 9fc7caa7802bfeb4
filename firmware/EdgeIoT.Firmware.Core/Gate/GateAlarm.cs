namespace EdgeIoT.Firmware.Gate
{
    /// <summary>Conditions at a lane that the operator must see, raised and cleared by <see cref="TurnstileStateMachine"/>.</summary>
    public enum GateAlarm : byte
    {
        /// <summary>The door opened with no admit pending.</summary>
        DoorForced = 1,

        /// <summary>The door stayed open past the door-held timeout after an admit.</summary>
        DoorHeld = 2,

        /// <summary>The fire alarm input is active, and the relay keeps the lane open for evacuation.</summary>
        FireRelease = 3,
    }
}
