namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// One receipt as the simulated printer received it, from ESC @ to GS V: the printed text
/// lines, the lines printed emphasized, the QR payload (empty when none) and the raw bytes.
/// </summary>
public sealed record PrintedReceipt(
    IReadOnlyList<string> Lines,
    IReadOnlyList<string> BoldLines,
    string QrPayload,
    byte[] Bytes);
