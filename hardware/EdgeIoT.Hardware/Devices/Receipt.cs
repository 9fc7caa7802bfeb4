namespace EdgeIoT.Hardware;

/// <summary>
/// A receipt to print. Amounts are in minor units of <paramref name="Currency"/> (cents for
/// EUR). <paramref name="QrText"/> may be empty to print no QR code.
/// </summary>
public sealed record Receipt(
    string Header,
    IReadOnlyList<ReceiptLine> Lines,
    long TotalMinor,
    string Currency,
    long SpendRemainingMinor,
    string QrText,
    string Footer);
