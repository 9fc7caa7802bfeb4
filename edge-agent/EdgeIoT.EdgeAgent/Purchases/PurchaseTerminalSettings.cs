namespace EdgeIoT.EdgeAgent.Purchases;

/// <summary>Lane settings of walk-in sales.</summary>
public sealed record PurchaseTerminalSettings
{
    public byte Zone { get; init; }

    /// <summary>ISO 4217 code; amounts are in its minor units.</summary>
    public string Currency { get; init; } = "EUR";

    public string ReceiptHeader { get; init; } = "EdgeIoT";
}
