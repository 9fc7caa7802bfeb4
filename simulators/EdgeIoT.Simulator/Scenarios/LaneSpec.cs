namespace EdgeIoT.Simulator.Scenarios;

/// <summary>Kind of controller at a lane.</summary>
public enum LaneKind
{
    /// <summary>Raspberry Pi edge agent with a till and a receipt printer.</summary>
    Agent,

    /// <summary>ESP32 turnstile controller running the firmware core.</summary>
    Esp32,
}

/// <summary>How a lane reads the guest's QR code.</summary>
public enum ScannerKind
{
    /// <summary>A camera decodes the image in the agent (agent lanes only).</summary>
    Camera,

    /// <summary>A scanner module decodes the image and sends the text as a line over a serial link.</summary>
    Serial,

    /// <summary>A keyboard-mode (HID) scanner types the text as key events on an evdev device (agent lanes only).</summary>
    Hid,
}

/// <summary>Where a lane's device program runs.</summary>
public enum LaneHost
{
    /// <summary>Inside the simulator's process, where a power cut stops it in-process.</summary>
    Simulator,

    /// <summary>As its own OS process; a power cut is a SIGKILL and a restart on the same files.</summary>
    Process,
}

/// <summary>
/// One lane of the venue: its device id, controller, scanner and zone (0 = every zone).
/// <c>Nfc</c> adds an NFC reader next to the scanner: a simulated PN532 at an agent lane, tag
/// data handed to the firmware core at an ESP32 lane. <c>Host</c> sets where the device
/// program runs.
/// </summary>
public sealed record LaneSpec(
    string Id, LaneKind Kind, ScannerKind Scanner, byte Zone, bool Nfc = false, LaneHost Host = LaneHost.Simulator)
{
    /// <summary>Keyboard layout a <see cref="ScannerKind.Hid"/> scanner types with, "us" or "de".</summary>
    public string HidLayout { get; init; } = "us";
}
