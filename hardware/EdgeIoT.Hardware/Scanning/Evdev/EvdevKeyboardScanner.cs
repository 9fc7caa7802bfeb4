using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hardware;

/// <summary>
/// A keyboard-mode (HID) scanner read from Linux evdev. It grabs the input device, decodes
/// key events with the configured layout and yields one scan per Enter. After an unplug or a
/// read error it reopens the device with back-off.
/// </summary>
public sealed partial class EvdevKeyboardScanner : IScanner
{
    private readonly EvdevKeyboardScannerOptions _options;
    private readonly IInputDeviceOpener _opener;
    private readonly KeyboardLayout _layout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private long _oversizeLines;
    private long _connections;
    private volatile bool _disposed;
    private Stream? _current;

    public EvdevKeyboardScanner(
        EvdevKeyboardScannerOptions options, IInputDeviceOpener? opener = null, TimeProvider? timeProvider = null,
        ILogger<EvdevKeyboardScanner>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        _options = options;
        _opener = opener ?? LinuxInputDeviceOpener.Instance;
        _layout = KeyboardLayout.FromName(options.Layout);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public string Name => _options.Name;

    /// <summary>Lines dropped because they exceeded <see cref="KeystrokeDecoder.MaxLineLength"/>.</summary>
    public long OversizeLineCount => Interlocked.Read(ref _oversizeLines);

    /// <summary>Successful device opens, so 2 or more means the scanner was reopened.</summary>
    public long ConnectionCount => Interlocked.Read(ref _connections);

    /// <summary>
    /// Yields one scan per line until <paramref name="cancellationToken"/> is cancelled (which
    /// throws <see cref="OperationCanceledException"/>) or the scanner is disposed.
    /// </summary>
    public async IAsyncEnumerable<ScanRead> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var decoder = new KeystrokeDecoder(_layout);
        byte[] buffer = new byte[InputEvent.Size * 64];
        int failures = 0;
        while (!_disposed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Stream? stream = TryOpen(failures);
            if (stream is null)
            {
                await DelayAsync(failures++, cancellationToken);
                continue;
            }

            Interlocked.Increment(ref _connections);
            LogOpened(_logger, Name, _options.DevicePath, _options.ExclusiveGrab);
            _current = stream;
            await using (stream)
            {
                int filled = 0;
                int read;
                while (!_disposed && (read = await TryReadAsync(stream, buffer.AsMemory(filled), cancellationToken)) > 0)
                {
                    failures = 0;
                    filled += read;
                    long timestamp = Stopwatch.GetTimestamp();
                    int whole = filled - (filled % InputEvent.Size);
                    foreach (LineFrame frame in Decode(decoder, buffer.AsSpan(0, whole), timestamp))
                    {
                        yield return new ScanRead(frame.Text, _options.Source, frame.TimestampTicks);
                    }

                    // Keep a partial struct for the next read; evdev returns whole structs, a pipe may not.
                    buffer.AsSpan(whole, filled - whole).CopyTo(buffer);
                    filled -= whole;
                }
            }

            _current = null;
            decoder.Reset();
            if (!_disposed)
            {
                await DelayAsync(failures++, cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        Stream? stream = Interlocked.Exchange(ref _current, null);
        if (stream is not null)
        {
            await stream.DisposeAsync();
        }
    }

    private List<LineFrame> Decode(KeystrokeDecoder decoder, ReadOnlySpan<byte> events, long timestamp)
    {
        var frames = new List<LineFrame>(1);
        for (int offset = 0; offset < events.Length; offset += InputEvent.Size)
        {
            LineFrame? frame = decoder.Append(InputEvent.Read(events[offset..]), timestamp);
            if (frame is not { } line)
            {
                continue;
            }

            if (line.IsOversize)
            {
                Interlocked.Increment(ref _oversizeLines);
                LogOversizeLine(_logger, Name, line.Length);
                continue;
            }

            frames.Add(line);
        }

        return frames;
    }

    private Stream? TryOpen(int failures)
    {
        try
        {
            return _opener.Open(_options.DevicePath, _options.ExclusiveGrab);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogOpenFailed(_logger, exception, Name, _options.DevicePath, failures + 1);
            return null;
        }
    }

    private async Task<int> TryReadAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            await ReadableWait.UntilReadableAsync(stream, cancellationToken);
            int read = await stream.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                LogDisconnected(_logger, Name);
            }

            return read;
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException
            && !cancellationToken.IsCancellationRequested)
        {
            if (!_disposed)
            {
                LogReadFailed(_logger, exception, Name);
            }

            return 0;
        }
    }

    private Task DelayAsync(int failures, CancellationToken cancellationToken)
    {
        TimeSpan delay = _options.Backoff.DelayAfter(failures);
        LogReopening(_logger, Name, delay.TotalMilliseconds);
        return Task.Delay(delay, _timeProvider, cancellationToken);
    }

    [LoggerMessage(EventId = 4121, Level = LogLevel.Information,
        Message = "HID scanner {Scanner} opened on {DevicePath} (exclusive grab {ExclusiveGrab})")]
    private static partial void LogOpened(ILogger logger, string scanner, string devicePath, bool exclusiveGrab);

    [LoggerMessage(EventId = 4122, Level = LogLevel.Warning,
        Message = "HID scanner {Scanner} could not be opened on {DevicePath} (attempt {Attempt})")]
    private static partial void LogOpenFailed(ILogger logger, Exception exception, string scanner, string devicePath, int attempt);

    [LoggerMessage(EventId = 4123, Level = LogLevel.Warning, Message = "HID scanner {Scanner} disconnected")]
    private static partial void LogDisconnected(ILogger logger, string scanner);

    [LoggerMessage(EventId = 4124, Level = LogLevel.Warning, Message = "HID scanner {Scanner} read failed")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string scanner);

    [LoggerMessage(EventId = 4125, Level = LogLevel.Information,
        Message = "HID scanner {Scanner} reopening in {DelayMilliseconds} ms")]
    private static partial void LogReopening(ILogger logger, string scanner, double delayMilliseconds);

    [LoggerMessage(EventId = 4126, Level = LogLevel.Warning,
        Message = "HID scanner {Scanner} typed a line of {Length} characters, above the maximum; line dropped")]
    private static partial void LogOversizeLine(ILogger logger, string scanner, int length);
}
