using System.IO.Ports;

namespace EdgeIoT.Hardware;

/// <summary>Settings of a scanner on a serial port (configuration section "Scanners:Serial").</summary>
public sealed record SerialLineScannerOptions
{
    public string Name { get; init; } = "serial-scanner";

    /// <summary>
    /// Device path. Prefer the stable /dev/serial/by-id/usb-… link over /dev/ttyACM0, whose
    /// number can change when the scanner is plugged back in.
    /// </summary>
    public string PortName { get; init; } = "/dev/ttyACM0";

    public int BaudRate { get; init; } = 9600;

    public Parity Parity { get; init; } = Parity.None;

    public int DataBits { get; init; } = 8;

    public StopBits StopBits { get; init; } = StopBits.One;

    public ScanSource Source { get; init; } = ScanSource.Qr;

    public ReconnectBackoff Backoff { get; init; } = new();

    /// <summary>
    /// Watches the port's folder (for example /dev/serial/by-id) and reopens as soon as the
    /// device node appears again, instead of waiting out the back-off after an unplug.
    /// </summary>
    public bool WatchForDevice { get; init; } = true;
}
