using EdgeIoT.Hardware;

namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>Which devices the agent drives and where they are attached.</summary>
public sealed class HardwareOptions
{
    /// <summary>"simulated" (in-process peers) or "gpio" (relay and passage sensor on a GPIO chip).</summary>
    public string Mode { get; set; } = "simulated";

    public int RelayPin { get; set; } = 17;

    public int PassageSensorPin { get; set; } = 27;

    /// <summary>
    /// Time after a passage in which further sensor edges count as the same person, so a
    /// bouncing light barrier does not count twice.
    /// </summary>
    public TimeSpan PassageDebounce { get; set; } = new GpioGateOptions().PassageDebounce;

    /// <summary>
    /// With <see cref="Mode"/> "simulated", a simulated guest crosses the light barrier each
    /// time the gate opens, so admits complete instead of being annulled. For a bench or the
    /// event simulator, where nobody walks through.
    /// </summary>
    public bool SimulatedPassage { get; set; }

    /// <summary>GPIO chip number, as in /dev/gpiochip{n}; used only when <see cref="GpioChipLabel"/> is empty.</summary>
    public int GpioChip { get; set; }

    /// <summary>
    /// Label of the GPIO chip ("pinctrl-rp1" on a Pi 5), or "auto" for the first Raspberry Pi
    /// header controller found. Empty selects the chip by <see cref="GpioChip"/> number.
    /// </summary>
    public string GpioChipLabel { get; set; } = "auto";

    /// <summary>
    /// "camera-inbox", "serial", "tcp", "evdev" (HID keyboard-mode scanner) or "nfc" (the
    /// <see cref="NfcReader"/> chip), or several of them separated by commas ("serial,nfc") for a lane
    /// with a QR and an NFC reader.
    /// </summary>
    public string Scanner { get; set; } = "camera-inbox";

    /// <summary>Input device of a HID scanner, preferably its /dev/input/by-id/…-event-kbd link.</summary>
    public string EvdevDevice { get; set; } = "/dev/input/event0";

    /// <summary>Keyboard layout the HID scanner is set to: "us" or "de".</summary>
    public string EvdevLayout { get; set; } = "us";

    /// <summary>
    /// Chip of the "nfc" scanner: "pn532" (HSU serial on <see cref="NfcPort"/>) or "mfrc522"
    /// (SPI on /dev/spidev{<see cref="NfcSpiBus"/>}.{<see cref="NfcSpiChipSelect"/>}).
    /// </summary>
    public string NfcReader { get; set; } = "pn532";

    /// <summary>Serial device of the PN532 NFC reader (HSU, 115200 baud).</summary>
    public string NfcPort { get; set; } = "/dev/ttyUSB0";

    /// <summary>SPI bus of the MFRC522 NFC reader.</summary>
    public int NfcSpiBus { get; set; }

    /// <summary>SPI chip select line of the MFRC522 NFC reader.</summary>
    public int NfcSpiChipSelect { get; set; }

    /// <summary>SPI device path of the MFRC522 reader.</summary>
    public string NfcSpiDevice => $"/dev/spidev{NfcSpiBus}.{NfcSpiChipSelect}";

    public string SerialPort { get; set; } = "/dev/ttyACM0";

    /// <summary>host:port of a scanner that sends one read per line over TCP.</summary>
    public string ScannerTcp { get; set; } = "127.0.0.1:9100";

    /// <summary>Folder the camera scanner watches for PNG frames.</summary>
    public string CameraInbox { get; set; } = "camera-inbox";

    /// <summary>Host of the ESC/POS receipt printer; empty when the lane has none.</summary>
    public string? PrinterHost { get; set; }

    public int PrinterPort { get; set; } = 9100;

    /// <summary>How often the printer's DLE EOT status is read, so paper out reaches the hub before a sale.</summary>
    public TimeSpan PrinterStatusInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Input pin of the door contact, or null for a gate without one (no door forced or held alarms).</summary>
    public int? DoorContactPin { get; set; }

    /// <summary>Input pin of the fire alarm release, or null for a lane without one.</summary>
    public int? FireAlarmPin { get; set; }

    /// <summary>Returns the scanner kinds listed in <see cref="Scanner"/>, in order.</summary>
    public string[] ScannerKinds() =>
        Scanner.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Returns whether <see cref="Scanner"/> lists <paramref name="kind"/>.</summary>
    public bool UsesScanner(string kind) => Array.IndexOf(ScannerKinds(), kind) >= 0;
}
