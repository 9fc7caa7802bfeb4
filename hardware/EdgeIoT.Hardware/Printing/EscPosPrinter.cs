using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hardware;

/// <summary>
/// An ESC/POS receipt printer reached through a stream, a TCP connection to port 9100 by
/// default. Each call opens its own connection. A receipt is sent only when the status read
/// first reports that the printer can print, so a paper-out printer does not swallow it.
/// Losing and regaining the printer is logged once per change, not at every status read.
/// </summary>
public sealed partial class EscPosPrinter : IReceiptPrinter, IDisposable
{
    private readonly Func<CancellationToken, Task<Stream>> _streamFactory;
    private readonly EscPosPrinterOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _unreachableCount;

    // Guarded by _gate.
    private bool _unreachable;
    private long _failuresSinceReachable;

    public EscPosPrinter(
        Func<CancellationToken, Task<Stream>> streamFactory, EscPosPrinterOptions? options = null,
        ILogger<EscPosPrinter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(streamFactory);

        _streamFactory = streamFactory;
        _options = options ?? new EscPosPrinterOptions();
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Creates a printer that connects over TCP to the configured host and port.</summary>
    public static EscPosPrinter ForTcp(EscPosPrinterOptions options, ILogger<EscPosPrinter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Host);
        if (options.Port is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.Port, $"Printer port {options.Port} is invalid: use 1 to 65535.");
        }

        return new EscPosPrinter(ct => ConnectAsync(options, ct), options, logger);
    }

    public async Task<PrinterStatus> PrintAsync(Receipt receipt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var bytes = ReceiptLayout.Render(receipt, _options.LineWidth);

        return await WithStreamAsync(
            async stream =>
            {
                var before = await QueryStatusAsync(stream, cancellationToken);
                if (!before.CanPrint)
                {
                    LogNotPrinted(_logger, before.Online, before.PaperOut, before.CoverOpen);
                    return before;
                }

                await stream.WriteAsync(bytes, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                LogPrinted(_logger, bytes.Length);
                try
                {
                    return await QueryStatusAsync(stream, cancellationToken);
                }
                catch (TimeoutException exception)
                {
                    // The receipt is already with a printer that reported ready, so it counts as
                    // printed. Only a paper-out during this receipt would go unnoticed.
                    LogStatusAfterReceiptTimedOut(_logger, bytes.Length, exception.Message);
                    return before;
                }
            },
            cancellationToken);
    }

    /// <summary>Calls that found the printer unreachable since this instance was created.</summary>
    public long UnreachableCount => Interlocked.Read(ref _unreachableCount);

    public Task<PrinterStatus> GetStatusAsync(CancellationToken cancellationToken) =>
        WithStreamAsync(stream => QueryStatusAsync(stream, cancellationToken), cancellationToken);

    public void Dispose() => _gate.Dispose();

    private async Task<PrinterStatus> WithStreamAsync(
        Func<Stream, Task<PrinterStatus>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var stream = await _streamFactory(cancellationToken);
            PrinterStatus status = await action(stream);
            MarkReachable();
            return status;
        }
        catch (Exception exception) when (exception is IOException or SocketException or TimeoutException
            or EscPosProtocolException)
        {
            MarkUnreachable(exception);
            return PrinterStatus.Unreachable;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void MarkReachable()
    {
        if (_unreachable)
        {
            LogReachableAgain(_logger, _failuresSinceReachable);
        }

        _unreachable = false;
        _failuresSinceReachable = 0;
    }

    private void MarkUnreachable(Exception exception)
    {
        Interlocked.Increment(ref _unreachableCount);
        _failuresSinceReachable++;
        if (_unreachable)
        {
            LogStillUnreachable(_logger, _failuresSinceReachable, exception.Message);
            return;
        }

        _unreachable = true;
        LogUnreachable(_logger, exception.Message, exception);
    }

    /// <summary>
    /// Sends DLE EOT 1, 2 and 4 together and reads the three status bytes. DLE EOT is a
    /// real-time command, processed as it arrives, so the replies come back in request order
    /// and one round trip replaces three. On a busy host each round trip can take long enough
    /// to hit the timeout.
    /// </summary>
    // NOTE: the batched requests were tested against EscPosPrinterSimulator, not a physical printer.
    private async Task<PrinterStatus> QueryStatusAsync(Stream stream, CancellationToken cancellationToken)
    {
        byte[] requests = new EscPosWriter()
            .StatusRequest(EscPos.StatusPrinter)
            .StatusRequest(EscPos.StatusOfflineCause)
            .StatusRequest(EscPos.StatusPaperSensor)
            .ToArray();
        await stream.WriteAsync(requests, cancellationToken);
        await stream.FlushAsync(cancellationToken);

        byte[] replies = await ReadStatusRepliesAsync(stream, cancellationToken);
        if (!EscPosStatus.TryParse(replies[0], replies[1], replies[2], out var status, out var error))
        {
            throw new EscPosProtocolException(error);
        }

        return status;
    }

    private async Task<byte[]> ReadStatusRepliesAsync(Stream stream, CancellationToken cancellationToken)
    {
        var replies = new byte[3];
        int received = 0;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.StatusTimeout);
        try
        {
            while (received < replies.Length)
            {
                int read = await stream.ReadAsync(replies.AsMemory(received), timeout.Token);
                if (read == 0)
                {
                    throw new IOException(
                        $"The printer closed the connection after {received} of 3 replies to DLE EOT 1, 2 and 4.");
                }

                received += read;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The printer sent {received} of 3 replies to DLE EOT 1, 2 and 4 within {_options.StatusTimeout.TotalMilliseconds} ms.");
        }

        return replies;
    }

    private static async Task<Stream> ConnectAsync(
        EscPosPrinterOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException(
                $"Connecting to the printer at {options.Host}:{options.Port} timed out.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Debug,
        Message = "Receipt of {ByteCount} bytes sent to the printer")]
    private static partial void LogPrinted(ILogger logger, int byteCount);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning,
        Message = "Receipt not printed: online {Online}, paper out {PaperOut}, cover open {CoverOpen}")]
    private static partial void LogNotPrinted(ILogger logger, bool online, bool paperOut, bool coverOpen);

    // The reason separates a refused or timed-out connection from a connected printer that
    // does not reply to DLE EOT, because the two need different fixes.
    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning,
        Message = "Printer request failed: {Reason}; further failures are logged at Debug level until it replies again")]
    private static partial void LogUnreachable(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 4204, Level = LogLevel.Debug,
        Message = "Printer still unreachable ({FailedAttempts} failed attempts): {Error}")]
    private static partial void LogStillUnreachable(ILogger logger, long failedAttempts, string error);

    [LoggerMessage(EventId = 4205, Level = LogLevel.Information,
        Message = "Printer reachable again after {FailedAttempts} failed attempts")]
    private static partial void LogReachableAgain(ILogger logger, long failedAttempts);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Warning,
        Message = "Receipt of {ByteCount} bytes sent to a printer that reported ready, but its status after the receipt is unknown: {Reason}")]
    private static partial void LogStatusAfterReceiptTimedOut(ILogger logger, int byteCount, string reason);
}
