namespace EdgeIoT.Hardware;

/// <summary>
/// Wiring and timing of a relay gate (configuration section "Gate"). Pin numbers use the
/// controller's logical (BCM) numbering.
/// </summary>
public sealed record GpioGateOptions
{
    /// <summary>Output pin that drives the relay coil, BCM 17 (header pin 11) by default.</summary>
    public int RelayPin { get; init; } = 17;

    /// <summary>Input pin of the passage sensor (light barrier or turnstile arm switch),
    /// BCM 27 (header pin 13) by default.</summary>
    public int PassageSensorPin { get; init; } = 27;

    /// <summary>How long the relay stays energized per opening.</summary>
    public TimeSpan PulseLength { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>True when a high level energizes the relay; many relay boards are active low.</summary>
    public bool ActiveHigh { get; init; } = true;

    /// <summary>True when the passage sensor reports a passage with a high level. Open-collector
    /// light barriers pull the line low, so the default is false with the internal pull-up.</summary>
    public bool PassageSensorActiveHigh { get; init; }

    /// <summary>
    /// Time after a passage edge during which further edges count as the same passage. Arm
    /// switches bounce, and a light barrier flickers as legs cross it.
    /// </summary>
    public TimeSpan PassageDebounce { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// Relay level after a GPIO fault. Fail-safe (true) leaves the relay energized, so the
    /// lane stays passable for egress. Fail-secure (false) releases it, so the lane stays locked.
    /// </summary>
    public bool FailSafe { get; init; }

    /// <summary>
    /// Input pin of a door position contact, or null for a lane without one. The door opening
    /// with no opening pending raises <see cref="GateAlarm.DoorForced"/>, and the door staying
    /// open past <see cref="DoorHeldTimeout"/> raises <see cref="GateAlarm.DoorHeld"/>.
    /// </summary>
    public int? DoorContactPin { get; init; }

    /// <summary>True when the door contact reads high while the door is open: a reed contact that
    /// shorts the line to ground when closed, with the internal pull-up.</summary>
    public bool DoorOpenActiveHigh { get; init; } = true;

    /// <summary>How long the door may stay open after an opening before the door-held alarm.</summary>
    public TimeSpan DoorHeldTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Input pin of the fire alarm panel's release contact, or null for none. While the input is
    /// active the relay stays energized, so the lane is free for evacuation, whatever
    /// <see cref="FailSafe"/> says.
    /// </summary>
    public int? FireAlarmPin { get; init; }

    /// <summary>
    /// True when the fire alarm input reads high during an alarm. The default suits a normally
    /// closed panel contact to ground with the internal pull-up, so a cut wire also releases the lane.
    /// </summary>
    public bool FireAlarmActiveHigh { get; init; } = true;

    public void Validate()
    {
        if (RelayPin < 0 || PassageSensorPin < 0 || RelayPin == PassageSensorPin)
        {
            throw new ArgumentException(
                $"Gate pins are invalid: relay {RelayPin}, passage sensor {PassageSensorPin}. "
                + "Use two different non-negative pin numbers.");
        }

        ValidateOptionalPins();
        if (DoorHeldTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"Door held timeout {DoorHeldTimeout.TotalMilliseconds} ms is invalid: use more than zero.");
        }

        if (PassageDebounce < TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"Passage debounce {PassageDebounce.TotalMilliseconds} ms is invalid: use zero or more.");
        }

        if (PulseLength <= TimeSpan.Zero || PulseLength > TimeSpan.FromSeconds(10))
        {
            throw new ArgumentException(
                $"Gate pulse length {PulseLength.TotalMilliseconds} ms is invalid: use 1 ms to 10 s.");
        }
    }

    private void ValidateOptionalPins()
    {
        int?[] pins = [DoorContactPin, FireAlarmPin];
        foreach (int? pin in pins)
        {
            if (pin is { } number && (number < 0 || number == RelayPin || number == PassageSensorPin))
            {
                throw new ArgumentException(
                    $"Gate input pin {number} is invalid: use a non-negative pin other than the relay "
                    + $"({RelayPin}) and passage sensor ({PassageSensorPin}) pins.");
            }
        }

        if (DoorContactPin is not null && DoorContactPin == FireAlarmPin)
        {
            throw new ArgumentException(
                $"Door contact and fire alarm share pin {DoorContactPin}: wire them to two different pins.");
        }
    }
}
