namespace EdgeIoT.Hardware;

/// <summary>Printer state as reported by the printer's real-time status replies.</summary>
public sealed record PrinterStatus(bool Online, bool PaperOut, bool CoverOpen, bool PaperNearEnd)
{
    /// <summary>Status used when the printer cannot be reached at all.</summary>
    public static PrinterStatus Unreachable { get; } =
        new(Online: false, PaperOut: false, CoverOpen: false, PaperNearEnd: false);

    /// <summary>True when a receipt sent now would be printed.</summary>
    public bool CanPrint => Online && !PaperOut && !CoverOpen;
}
