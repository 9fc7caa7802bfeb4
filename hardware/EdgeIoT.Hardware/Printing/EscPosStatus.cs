namespace EdgeIoT.Hardware;

/// <summary>
/// Parses the one-byte replies to DLE EOT n "Transmit real-time status", with the bit
/// meanings of the Epson ESC/POS command reference. Every reply has bit 1
/// and bit 4 set and bits 0 and 7 clear, which distinguishes a status byte from stray data.
/// </summary>
public static class EscPosStatus
{
    /// <summary>Fixed bits of every reply: bits 1 and 4 set.</summary>
    public const byte FixedBits = 0x12;

    private const byte FixedMask = 0x93;

    /// <summary>n = 1, bit 3: the printer is offline.</summary>
    public const byte PrinterOffline = 0x08;

    /// <summary>n = 2, bit 2: the cover is open.</summary>
    public const byte CoverOpenBit = 0x04;

    /// <summary>n = 2, bit 5: printing stopped because the paper ran out.</summary>
    public const byte PaperEndStop = 0x20;

    /// <summary>n = 4, bits 2 and 3: the roll paper near-end sensor reports little paper left.</summary>
    public const byte PaperNearEndBits = 0x0C;

    /// <summary>n = 4, bits 5 and 6: the roll paper end sensor reports no paper.</summary>
    public const byte PaperEndBits = 0x60;

    /// <summary>
    /// Combines the replies to DLE EOT 1, 2 and 4. Returns false with an error naming the
    /// byte when a reply is not a status byte.
    /// </summary>
    public static bool TryParse(
        byte printer, byte offlineCause, byte paperSensor, out PrinterStatus status, out string error)
    {
        status = PrinterStatus.Unreachable;
        error = FindInvalid(printer, 1) ?? FindInvalid(offlineCause, 2) ?? FindInvalid(paperSensor, 4)
            ?? string.Empty;
        if (error.Length > 0)
        {
            return false;
        }

        status = new PrinterStatus(
            Online: (printer & PrinterOffline) == 0,
            PaperOut: (paperSensor & PaperEndBits) != 0 || (offlineCause & PaperEndStop) != 0,
            CoverOpen: (offlineCause & CoverOpenBit) != 0,
            PaperNearEnd: (paperSensor & PaperNearEndBits) != 0);
        return true;
    }

    /// <summary>Builds the three reply bytes a printer in <paramref name="status"/> sends.</summary>
    public static (byte Printer, byte OfflineCause, byte PaperSensor) Encode(PrinterStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);

        var printer = (byte)(FixedBits | (status.Online ? 0 : PrinterOffline));
        var offlineCause = (byte)(FixedBits | (status.CoverOpen ? CoverOpenBit : 0)
            | (status.PaperOut ? PaperEndStop : 0));
        var paperSensor = (byte)(FixedBits | (status.PaperNearEnd ? PaperNearEndBits : 0)
            | (status.PaperOut ? PaperEndBits : 0));
        return (printer, offlineCause, paperSensor);
    }

    private static string? FindInvalid(byte reply, int n)
    {
        if ((reply & FixedMask) == FixedBits)
        {
            return null;
        }

        return $"Reply 0x{reply:X2} to DLE EOT {n} is not a status byte: "
            + "bits 1 and 4 must be set and bits 0 and 7 clear.";
    }
}
