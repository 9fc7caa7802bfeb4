using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;

namespace EdgeIoT.EdgeAgent.Purchases;

/// <summary>Outcome of one walk-in purchase.</summary>
public sealed record PurchaseResult
{
    public required bool Accepted { get; init; }

    /// <summary><see cref="RejectReason.None"/> when accepted.</summary>
    public required RejectReason Reason { get; init; }

    /// <summary>Readable explanation for staff, naming the values that decided.</summary>
    public required string Message { get; init; }

    /// <summary>Payment event id, also printed as the receipt's QR code; null when rejected.</summary>
    public string? ReceiptId { get; init; }

    /// <summary>Allowance left on the token after this purchase, in minor units.</summary>
    public long SpendRemainingMinor { get; init; }

    /// <summary>Offline policy rule that capped or rejected the purchase, when the hub was away.</summary>
    public string? PolicyRule { get; init; }

    /// <summary>True when the receipt reached a printer that reported it could print.</summary>
    public bool ReceiptPrinted { get; init; }

    /// <summary>Printer status after printing; null when the lane has no printer or it failed.</summary>
    public PrinterStatus? Printer { get; init; }
}
