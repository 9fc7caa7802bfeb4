namespace EdgeIoT.Hardware;

/// <summary>
/// Wiring of a two-LED decision light (configuration section "Indicator"). Pin numbers use the
/// controller's logical (BCM) numbering, and a high level lights an LED.
/// </summary>
public sealed record GpioIndicatorOptions
{
    /// <summary>Green "admitted" LED, BCM 22 (header pin 15) by default.</summary>
    public int AdmitPin { get; init; } = 22;

    /// <summary>Red "denied" LED, BCM 23 (header pin 16) by default.</summary>
    public int DenyPin { get; init; } = 23;

    /// <summary>How long a decision stays lit before both LEDs go dark.</summary>
    public TimeSpan ShowDuration { get; init; } = TimeSpan.FromSeconds(1.5);

    public void Validate()
    {
        if (AdmitPin < 0 || DenyPin < 0 || AdmitPin == DenyPin)
        {
            throw new ArgumentException(
                $"Indicator pins are invalid: admit {AdmitPin}, deny {DenyPin}. "
                + "Use two different non-negative pin numbers.");
        }

        if (ShowDuration <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"Indicator show duration {ShowDuration.TotalMilliseconds} ms is invalid: use a positive duration.");
        }
    }
}
