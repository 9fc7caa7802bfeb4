using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// A camera QR scanner fed with PNG frames, either by <see cref="PresentAsync"/> or through an
/// inbox folder. Each frame is decoded with ZXing; a decoded frame becomes a
/// <see cref="ScanRead"/> stamped when the frame was presented, and an undecodable one raises
/// <see cref="Unreadable"/> instead of a scan.
/// </summary>
public sealed partial class SimulatedCamera : IScanner
{
    private readonly SimulatedCameraOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<ScanRead> _reads = Channel.CreateUnbounded<ScanRead>();
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CameraInbox? _inbox;
    private long _unreadable;

    public SimulatedCamera(SimulatedCameraOptions? options = null, ILogger<SimulatedCamera>? logger = null)
    {
        _options = options ?? new SimulatedCameraOptions();
        if (_options.BlurShare is < 0 or > 1 || double.IsNaN(_options.BlurShare))
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), _options.BlurShare, $"Blur share {_options.BlurShare} is invalid: use 0 to 1.");
        }

        _logger = logger ?? (ILogger)NullLogger.Instance;
        _random = new Random(_options.Seed);
        if (_options.InboxFolder is not null)
        {
            _inbox = new CameraInbox(_options, this, _logger, _stopping.Token);
        }
    }

    public string Name => _options.Name;

    /// <summary>Frames that held no decodable QR code so far.</summary>
    public long UnreadableCount => Interlocked.Read(ref _unreadable);

    /// <summary>Raised for every frame that could not be decoded.</summary>
    public event EventHandler<UnreadableFrameEventArgs>? Unreadable;

    /// <summary>
    /// Presents one PNG frame to the camera and decodes it. The scan, if any, is available
    /// from <see cref="ReadAllAsync"/> when this completes.
    /// </summary>
    public ValueTask PresentAsync(byte[] png)
    {
        ArgumentNullException.ThrowIfNull(png);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);

        var presentedAt = Stopwatch.GetTimestamp();
        var blurred = ShouldBlur();
        if (TryDecodeFrame(png, blurred, out var text, out var error))
        {
            _reads.Writer.TryWrite(new ScanRead(text, ScanSource.Qr, presentedAt));
            return ValueTask.CompletedTask;
        }

        Interlocked.Increment(ref _unreadable);
        LogUnreadable(_logger, Name, blurred, error);
        Unreadable?.Invoke(this, new UnreadableFrameEventArgs(error, blurred));
        return ValueTask.CompletedTask;
    }

    public async IAsyncEnumerable<ScanRead> ReadAllAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var read in _reads.Reader.ReadAllAsync(cancellationToken))
        {
            yield return read;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_inbox is not null)
        {
            await _inbox.DisposeAsync();
        }

        _reads.Writer.TryComplete();
        _stopping.Dispose();
    }

    private bool ShouldBlur()
    {
        if (_options.BlurShare <= 0)
        {
            return false;
        }

        lock (_randomLock)
        {
            return _random.NextDouble() < _options.BlurShare;
        }
    }

    private static bool TryDecodeFrame(byte[] png, bool blurred, out string text, out string error)
    {
        if (!blurred)
        {
            return QrImages.TryDecodePng(png, out text, out error);
        }

        text = string.Empty;
        using var bitmap = QrImages.TryDecodeImage(png, out error);
        if (bitmap is null)
        {
            return false;
        }

        using var degraded = FrameBlur.Apply(bitmap);
        return QrImages.TryDecode(degraded, out text, out error);
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Debug,
        Message = "Camera {Camera} frame unreadable (blurred {Blurred}): {Error}")]
    private static partial void LogUnreadable(ILogger logger, string camera, bool blurred, string error);
}
