namespace EdgeIoT.Hardware;

/// <summary>Control bytes of the ESC/POS command set (Epson ESC/POS command reference).</summary>
public static class EscPos
{
    public const byte LineFeed = 0x0A;
    public const byte Dle = 0x10;
    public const byte Eot = 0x04;
    public const byte Esc = 0x1B;
    public const byte Gs = 0x1D;

    /// <summary>Second byte of ESC @ ("Initialize printer").</summary>
    public const byte Initialize = 0x40;

    /// <summary>Second byte of ESC a n ("Select justification").</summary>
    public const byte Justification = 0x61;

    /// <summary>Second byte of ESC E n ("Turn emphasized mode on/off").</summary>
    public const byte Emphasized = 0x45;

    /// <summary>Second byte of ESC d n ("Print and feed n lines").</summary>
    public const byte FeedLines = 0x64;

    /// <summary>Second byte of GS V ("Select cut mode and cut paper").</summary>
    public const byte Cut = 0x56;

    /// <summary>Second and third bytes of GS ( k ("2D code" functions).</summary>
    public const byte TwoDimensionalOpen = 0x28;
    public const byte TwoDimensionalK = 0x6B;

    /// <summary>cn of GS ( k that selects QR Code.</summary>
    public const byte QrCodeSymbol = 0x31;

    /// <summary>fn bytes of the QR Code functions of GS ( k.</summary>
    public const byte QrSelectModel = 0x41;
    public const byte QrModuleSize = 0x43;
    public const byte QrErrorCorrection = 0x45;
    public const byte QrStore = 0x50;
    public const byte QrPrint = 0x51;

    /// <summary>n of DLE EOT n ("Transmit real-time status").</summary>
    public const byte StatusPrinter = 1;
    public const byte StatusOfflineCause = 2;
    public const byte StatusPaperSensor = 4;

    /// <summary>Longest QR payload GS ( k function 180 accepts (7089 bytes, QR version 40).</summary>
    public const int MaxQrDataLength = 7089;
}
