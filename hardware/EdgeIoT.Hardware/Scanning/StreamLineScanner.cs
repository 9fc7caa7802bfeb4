using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hardware;

/// <summary>
/// A scanner that sends CR/LF-terminated lines over a byte stream (serial port or TCP). It
/// reopens the stream with back-off whenever opening or reading fails, so an unplugged
/// scanner resumes by itself when it comes back.
/// </summary>
public abstract partial class StreamLineScanner : IScanner
{
    private readonly ScanSource _source;
    private readonly ReconnectBackoff _backoff;
    private readonly TimeProvider _timeProvider;
    private long _oversizeLines;
    private long _connections;
    private volatile bool _disposed;
    private Stream? _current;

    protected StreamLineScanner(
        string name, ScanSource source, ReconnectBackoff backoff, TimeProvider timeProvider, ILogger? logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(backoff);
        ArgumentNullException.ThrowIfNull(timeProvider);

        Name = name;
        _source = source;
        _backoff = backoff;
        _timeProvider = timeProvider;
        Logger = logger ?? NullLogger.Instance;
    }

    public string Name { get; }

    /// <summary>Lines dropped because they exceeded <see cref="LineFramer.DefaultMaxLineLength"/>.</summary>
    public long OversizeLineCount => Interlocked.Read(ref _oversizeLines);

    /// <summary>Successful stream opens, so 2 or more means the scanner reconnected.</summary>
    public long ConnectionCount => Interlocked.Read(ref _connections);

    /// <summary>Raised for every line dropped as oversize.</summary>
    public event EventHandler<OversizeLineEventArgs>? OversizeLine;

    protected ILogger Logger { get; }

    /// <summary>
    /// Yields one scan per line until <paramref name="cancellationToken"/> is cancelled (which
    /// throws <see cref="OperationCanceledException"/>) or the scanner is disposed (which ends
    /// the sequence). One reader at a time: a second concurrent reader would open a second stream.
    /// </summary>
    public async IAsyncEnumerable<ScanRead> ReadAllAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var framer = new LineFramer();
        var buffer = new byte[512];
        var failures = 0;
        while (!_disposed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stream = await TryOpenAsync(failures, cancellationToken);
            if (stream is null && _disposed)
            {
                yield break;
            }

            if (stream is null)
            {
                await DelayAsync(failures++, cancellationToken);
                continue;
            }

            Interlocked.Increment(ref _connections);
            LogConnected(Logger, Name);
            _current = stream;
            await using (stream)
            {
                int read;
                while (!_disposed && (read = await TryReadAsync(stream, buffer, cancellationToken)) > 0)
                {
                    // Back-off restarts only once the device sent data, so a peer that accepts
                    // and at once drops the connection still meets a growing delay.
                    failures = 0;
                    foreach (var frame in framer.Append(buffer.AsSpan(0, read), Stopwatch.GetTimestamp()))
                    {
                        if (frame.IsOversize)
                        {
                            ReportOversize(frame.Length);
                            continue;
                        }

                        yield return new ScanRead(frame.Text, _source, frame.TimestampTicks);
                    }
                }
            }

            _current = null;
            CloseDevice();
            framer.Reset();
            if (!_disposed)
            {
                await DelayAsync(failures++, cancellationToken);
            }
        }
    }

    public virtual async ValueTask DisposeAsync()
    {
        _disposed = true;

        // Disposing the open stream fails any pending read, so ReadAllAsync ends promptly.
        var stream = Interlocked.Exchange(ref _current, null);
        if (stream is not null)
        {
            await stream.DisposeAsync();
        }

        CloseDevice();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens the device stream. Throwing <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/> means "try again later".</summary>
    protected abstract Task<Stream> OpenStreamAsync(CancellationToken cancellationToken);

    /// <summary>Releases device resources that the stream does not own, after a disconnect.</summary>
    protected virtual void CloseDevice()
    {
    }

    private async Task<Stream?> TryOpenAsync(int failures, CancellationToken cancellationToken)
    {
        try
        {
            return await OpenStreamAsync(cancellationToken);
        }
        catch (Exception exception) when (IsDeviceFault(exception, cancellationToken))
        {
            LogOpenFailed(Logger, exception, Name, failures + 1);
            CloseDevice();
            return null;
        }
    }

    private async Task<int> TryReadAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            var read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                LogDisconnected(Logger, Name);
            }

            return read;
        }
        catch (Exception exception) when (IsDeviceFault(exception, cancellationToken))
        {
            if (!_disposed)
            {
                LogReadFailed(Logger, exception, Name);
            }

            return 0;
        }
    }

    private Task DelayAsync(int failures, CancellationToken cancellationToken)
    {
        var delay = _backoff.DelayAfter(failures);
        LogReconnecting(Logger, Name, delay.TotalMilliseconds);
        return WaitBeforeReopenAsync(delay, cancellationToken);
    }

    /// <summary>
    /// Waits <paramref name="delay"/> before the next open attempt. Drivers that can tell when
    /// the device is back may end the wait early.
    /// </summary>
    protected virtual Task WaitBeforeReopenAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, _timeProvider, cancellationToken);

    private void ReportOversize(int length)
    {
        Interlocked.Increment(ref _oversizeLines);
        LogOversizeLine(Logger, Name, length);
        OversizeLine?.Invoke(this, new OversizeLineEventArgs(Name, length));
    }

    private static bool IsDeviceFault(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        return exception is IOException or UnauthorizedAccessException or InvalidOperationException
            or System.Net.Sockets.SocketException or ObjectDisposedException or TimeoutException;
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Scanner {Scanner} connected")]
    private static partial void LogConnected(ILogger logger, string scanner);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Scanner {Scanner} disconnected")]
    private static partial void LogDisconnected(ILogger logger, string scanner);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning,
        Message = "Scanner {Scanner} could not be opened (attempt {Attempt})")]
    private static partial void LogOpenFailed(
        ILogger logger, Exception exception, string scanner, int attempt);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Scanner {Scanner} read failed")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string scanner);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information,
        Message = "Scanner {Scanner} reconnecting in {DelayMilliseconds} ms")]
    private static partial void LogReconnecting(ILogger logger, string scanner, double delayMilliseconds);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Warning,
        Message = "Scanner {Scanner} sent a line of {Length} bytes, above the maximum; line dropped")]
    private static partial void LogOversizeLine(ILogger logger, string scanner, int length);
}
