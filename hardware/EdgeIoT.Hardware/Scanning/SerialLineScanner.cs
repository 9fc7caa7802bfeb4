using System.IO.Ports;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hardware;

/// <summary>
/// A line scanner on a serial port (RS-232 or USB CDC). When the scanner is unplugged the
/// port read fails, and the port is reopened with back-off until the device returns. With
/// <see cref="SerialLineScannerOptions.WatchForDevice"/> a file system watcher on the port's
/// folder ends the back-off as soon as the device node reappears.
/// </summary>
public sealed class SerialLineScanner : StreamLineScanner
{
    private readonly SerialLineScannerOptions _options;
    private readonly DeviceNodeWatcher? _watcher;
    private SerialPort? _port;

    public SerialLineScanner(
        SerialLineScannerOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
        : base(options?.Name ?? "serial-scanner", options?.Source ?? ScanSource.Qr,
            options?.Backoff ?? new ReconnectBackoff(), timeProvider ?? TimeProvider.System, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.PortName);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BaudRate, 1);

        _options = options;
        _watcher = options.WatchForDevice ? new DeviceNodeWatcher(options.PortName) : null;
    }

    protected override Task<Stream> OpenStreamAsync(CancellationToken cancellationToken)
    {
        CloseDevice();
        var port = new SerialPort(
            _options.PortName, _options.BaudRate, _options.Parity, _options.DataBits, _options.StopBits);
        try
        {
            port.Open();
        }
        catch
        {
            port.Dispose();
            throw;
        }

        _port = port;
        _watcher?.RecordOpened();

        // NOTE: on Linux, SerialStream.ReadAsync may observe cancellation only when bytes
        // arrive or the port fails; closing the port in DisposeAsync ends a pending read.
        return Task.FromResult(port.BaseStream);
    }

    protected override Task WaitBeforeReopenAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        _watcher is null
            ? base.WaitBeforeReopenAsync(delay, cancellationToken)
            : _watcher.WaitAsync(base.WaitBeforeReopenAsync, delay, cancellationToken);

    protected override void CloseDevice()
    {
        var port = Interlocked.Exchange(ref _port, null);
        port?.Dispose();
    }
}
