namespace EdgeIoT.Hardware;

/// <summary>Settings of an MFRC522 NFC reader on SPI (<c>/dev/spidev{SpiBusId}.{ChipSelectLine}</c>).</summary>
public sealed record Mfrc522NfcReaderOptions
{
    /// <summary>Fastest SPI clock the MFRC522 supports, 10 MHz.</summary>
    public const int MaxClockFrequencyHz = 10_000_000;

    public string Name { get; init; } = "nfc";

    public int SpiBusId { get; init; }

    public int ChipSelectLine { get; init; }

    /// <summary>SPI clock in Hz, at most <see cref="MaxClockFrequencyHz"/>.</summary>
    public int ClockFrequencyHz { get; init; } = 1_000_000;

    /// <summary>Wait between two target polls (REQA).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Delays between attempts to reopen a reader that failed.</summary>
    public ReconnectBackoff Backoff { get; init; } = new();

    public void Validate()
    {
        if (SpiBusId < 0 || ChipSelectLine < 0)
        {
            throw new ArgumentException(
                $"MFRC522 SPI device spidev{SpiBusId}.{ChipSelectLine} is invalid: bus and chip select are 0 or more.");
        }

        if (ClockFrequencyHz is < 10_000 or > MaxClockFrequencyHz)
        {
            throw new ArgumentException(
                $"MFRC522 SPI clock {ClockFrequencyHz} Hz is invalid: use 10000 to 10000000 Hz.");
        }

        if (PollInterval <= TimeSpan.Zero || PollInterval > TimeSpan.FromSeconds(5))
        {
            throw new ArgumentException(
                $"NFC poll interval {PollInterval.TotalMilliseconds} ms is invalid: use 1 ms to 5 s.");
        }
    }
}
