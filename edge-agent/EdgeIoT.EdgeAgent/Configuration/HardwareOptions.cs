namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>Which devices the agent drives and where they are attached.</summary>
public sealed class HardwareOptions
{
    /// <summary>"simulated" (in-process peers) or "gpio" (relay and passage sensor on a GPIO chip).</summary>
    public string Mode { get; set; } = "simulated";

    public int RelayPin { get; set; } = 17;

    public int PassageSensorPin { get; set; } = 27;

    /// <summary>GPIO chip number, as in /dev/gpiochip{n}.</summary>
    public int GpioChip { get; set; }

    /// <summary>"camera-inbox", "serial" or "tcp".</summary>
    public string Scanner { get; set; } = "camera-inbox";

    public string SerialPort { get; set; } = "/dev/ttyACM0";

    /// <summary>host:port of a scanner that sends one read per line over TCP.</summary>
    public string ScannerTcp { get; set; } = "127.0.0.1:9100";

    /// <summary>Folder the camera scanner watches for PNG frames.</summary>
    public string CameraInbox { get; set; } = "camera-inbox";

    /// <summary>Host of the ESC/POS receipt printer; empty when the lane has none.</summary>
    public string? PrinterHost { get; set; }

    public int PrinterPort { get; set; } = 9100;
}
