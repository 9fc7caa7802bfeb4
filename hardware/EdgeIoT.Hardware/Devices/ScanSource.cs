namespace EdgeIoT.Hardware;

/// <summary>Kind of reader that produced a scan.</summary>
public enum ScanSource
{
    Qr,
    Nfc,
}
