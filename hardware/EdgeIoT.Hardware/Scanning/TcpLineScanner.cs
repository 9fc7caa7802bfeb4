using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hardware;

/// <summary>A line scanner reached over TCP, as network scanners and the simulators expose.</summary>
public sealed class TcpLineScanner : StreamLineScanner
{
    private readonly TcpLineScannerOptions _options;

    public TcpLineScanner(
        TcpLineScannerOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
        : base(options?.Name ?? "tcp-scanner", options?.Source ?? ScanSource.Qr,
            options?.Backoff ?? new ReconnectBackoff(), timeProvider ?? TimeProvider.System, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Host);
        if (options.Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.Port, $"Scanner port {options.Port} is invalid: use 1 to 65535.");
        }

        _options = options;
    }

    protected override async Task<Stream> OpenStreamAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.ConnectTimeout);
            await socket.ConnectAsync(_options.Host, _options.Port, timeout.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException(
                $"Connecting to scanner {Name} at {_options.Host}:{_options.Port} timed out.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
