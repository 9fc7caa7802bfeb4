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

    public void Validate()
    {
        if (RelayPin < 0 || PassageSensorPin < 0 || RelayPin == PassageSensorPin)
        {
            throw new ArgumentException(
                $"Gate pins are invalid: relay {RelayPin}, passage sensor {PassageSensorPin}. "
                + "Use two different non-negative pin numbers.");
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
}
