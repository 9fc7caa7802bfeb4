namespace EdgeIoT.Hardware;

/// <summary>Reports a scanner line that exceeded the framer's maximum and was dropped.</summary>
public sealed class OversizeLineEventArgs(string scannerName, int length) : EventArgs
{
    public string ScannerName { get; } = scannerName;

    /// <summary>Length of the dropped line in bytes.</summary>
    public int Length { get; } = length;
}
