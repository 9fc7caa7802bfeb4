namespace EdgeIoT.Hardware;

/// <summary>A receipt printer. Both methods return the status read after the operation.</summary>
public interface IReceiptPrinter
{
    Task<PrinterStatus> PrintAsync(Receipt receipt, CancellationToken cancellationToken);

    Task<PrinterStatus> GetStatusAsync(CancellationToken cancellationToken);
}
