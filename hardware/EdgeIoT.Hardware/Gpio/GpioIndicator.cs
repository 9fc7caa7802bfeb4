using System.Device.Gpio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hardware;

/// <summary>
/// A green and a red LED on GPIO pins. <see cref="Show"/> lights one of them for
/// <see cref="GpioIndicatorOptions.ShowDuration"/>; a newer decision replaces the one shown.
/// LEDs cannot show the reason, so it is ignored here. A pin write that fails with an I/O
/// error is logged, not thrown, because a broken LED must not stop the lane.
/// </summary>
public sealed partial class GpioIndicator : IIndicator, IDisposable
{
    private readonly GpioController _controller;
    private readonly GpioIndicatorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private ITimer? _offTimer;
    private bool _disposed;

    public GpioIndicator(
        GpioController controller, GpioIndicatorOptions options, TimeProvider? timeProvider = null,
        ILogger<GpioIndicator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        _controller = controller;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _controller.OpenPin(options.AdmitPin, PinMode.Output, PinValue.Low);
        _controller.OpenPin(options.DenyPin, PinMode.Output, PinValue.Low);
    }

    public void Show(bool admitted, string reason)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            _offTimer?.Dispose();
            TryWrite(admitted ? PinValue.High : PinValue.Low, admitted ? PinValue.Low : PinValue.High);
            _offTimer = _timeProvider.CreateTimer(
                _ => TurnOff(), state: null, _options.ShowDuration, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _offTimer?.Dispose();
            TryWrite(PinValue.Low, PinValue.Low);
            _controller.ClosePin(_options.AdmitPin);
            _controller.ClosePin(_options.DenyPin);
        }
    }

    private void TurnOff()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            TryWrite(PinValue.Low, PinValue.Low);
        }
    }

    private void TryWrite(PinValue admit, PinValue deny)
    {
        try
        {
            _controller.Write(_options.AdmitPin, admit);
            _controller.Write(_options.DenyPin, deny);
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException
            or UnauthorizedAccessException)
        {
            LogWriteFailed(_logger, exception, _options.AdmitPin, _options.DenyPin);
        }
    }

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error,
        Message = "Writing indicator pins {AdmitPin} and {DenyPin} failed")]
    private static partial void LogWriteFailed(
        ILogger logger, Exception exception, int admitPin, int denyPin);
}
