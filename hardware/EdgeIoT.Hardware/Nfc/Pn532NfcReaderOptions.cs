namespace EdgeIoT.Hardware;

/// <summary>Settings of a PN532 NFC reader on its HSU serial interface (configuration section "Scanners:Nfc").</summary>
public sealed record Pn532NfcReaderOptions
{
    public string Name { get; init; } = "nfc";

    /// <summary>Serial device of the reader's HSU interface (115200 baud, 8N1), for example /dev/ttyUSB0.</summary>
    public string PortName { get; init; } = "/dev/ttyUSB0";

    /// <summary>Wait between two target polls (InListPassiveTarget).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Delays between attempts to reopen a reader that failed or was unplugged.</summary>
    public ReconnectBackoff Backoff { get; init; } = new();

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(PortName))
        {
            throw new ArgumentException("NFC reader port name is missing: set PortName, for example /dev/ttyUSB0.");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromSeconds(5))
        {
            throw new ArgumentException(
                $"NFC poll interval {PollInterval.TotalMilliseconds} ms is invalid: use 1 ms to 5 s.");
        }
    }
}
