namespace EdgeIoT.Hardware;

/// <summary>One item on a receipt, with its amount in minor units.</summary>
public sealed record ReceiptLine(string Description, long AmountMinor);
