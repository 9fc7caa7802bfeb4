namespace EdgeIoT.Hardware;

/// <summary>Settings of a keyboard-mode (HID) scanner read through evdev (configuration section "Scanners:Evdev").</summary>
public sealed record EvdevKeyboardScannerOptions
{
    public string Name { get; init; } = "hid-scanner";

    /// <summary>
    /// Input device of the scanner. Prefer the stable /dev/input/by-id/usb-…-event-kbd link
    /// over /dev/input/eventN, whose number changes with plug order.
    /// </summary>
    public string DevicePath { get; init; } = "/dev/input/event0";

    /// <summary>Keyboard layout the scanner is set to: "us" or "de".</summary>
    public string Layout { get; init; } = "us";

    /// <summary>Takes the device exclusively (EVIOCGRAB), so no console or desktop receives the keystrokes.</summary>
    public bool ExclusiveGrab { get; init; } = true;

    public ScanSource Source { get; init; } = ScanSource.Qr;

    public ReconnectBackoff Backoff { get; init; } = new();

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DevicePath))
        {
            throw new ArgumentException("Evdev scanner device path is missing: set DevicePath, for example /dev/input/event0.");
        }

        _ = KeyboardLayout.FromName(Layout);
    }
}
