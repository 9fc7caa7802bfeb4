namespace EdgeIoT.Hardware;

/// <summary>Why a gate raised an alarm.</summary>
public enum GateAlarm
{
    /// <summary>The passage sensor reported a passage with no opening pending (forced turnstile or tailgating).</summary>
    UnexpectedPassage,

    /// <summary>The door contact opened with no opening pending.</summary>
    DoorForced,

    /// <summary>The door stayed open past the door-held timeout.</summary>
    DoorHeld,

    /// <summary>A relay write failed; the relay is left at the fail-safe or fail-secure level.</summary>
    RelayFault,

    /// <summary>The fire alarm input became active and the lane was released.</summary>
    FireAlarm,
}
