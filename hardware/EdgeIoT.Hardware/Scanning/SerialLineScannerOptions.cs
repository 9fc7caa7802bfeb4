using System.IO.Ports;

namespace EdgeIoT.Hardware;

/// <summary>Settings of a scanner on a serial port (configuration section "Scanners:Serial").</summary>
public sealed record SerialLineScannerOptions
{
    public string Name { get; init; } = "serial-scanner";

    /// <summary>Device path, for example /dev/ttyACM0 for a USB CDC scanner.</summary>
    public string PortName { get; init; } = "/dev/ttyACM0";

    public int BaudRate { get; init; } = 9600;

    public Parity Parity { get; init; } = Parity.None;

    public int DataBits { get; init; } = 8;

    public StopBits StopBits { get; init; } = StopBits.One;

    public ScanSource Source { get; init; } = ScanSource.Qr;

    public ReconnectBackoff Backoff { get; init; } = new();
}
