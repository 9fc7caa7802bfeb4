using EdgeIoT.Hardware;

namespace EdgeIoT.EdgeAgent.Devices;

/// <summary>The printer of a lane that has none: every receipt is reported as not printed.</summary>
public sealed class NoReceiptPrinter : IReceiptPrinter
{
    public static readonly NoReceiptPrinter Instance = new();

    public Task<PrinterStatus> PrintAsync(Receipt receipt, CancellationToken cancellationToken) =>
        Task.FromResult(PrinterStatus.Unreachable);

    public Task<PrinterStatus> GetStatusAsync(CancellationToken cancellationToken) =>
        Task.FromResult(PrinterStatus.Unreachable);
}
