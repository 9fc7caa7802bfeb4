namespace EdgeIoT.Hardware;

/// <summary>Error correction levels of GS ( k function 169, as the byte the printer expects.</summary>
public enum EscPosQrErrorCorrection : byte
{
    L = 48,
    M = 49,
    Q = 50,
    H = 51,
}
