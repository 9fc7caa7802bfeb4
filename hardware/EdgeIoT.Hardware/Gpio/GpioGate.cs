using System.Device.Gpio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hardware;

/// <summary>
/// A gate driven by one relay output and one passage sensor input on a
/// <see cref="GpioController"/>. <see cref="Open"/> energizes the relay and a timer releases it
/// after <see cref="GpioGateOptions.PulseLength"/>, so the caller never waits for the pulse.
/// </summary>
public sealed partial class GpioGate : IGate
{
    private readonly GpioController _controller;
    private readonly GpioGateOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly PinChangeEventHandler _passageHandler;
    private readonly PinChangeEventHandler _doorHandler;
    private readonly PinChangeEventHandler _fireHandler;
    private TaskCompletionSource<bool>? _passage;
    private ITimer? _pulseTimer;
    private GateState _state = GateState.Closed;
    private long? _lastPassageTimestamp;
    private bool _disposed;

    public GpioGate(
        GpioController controller, GpioGateOptions options, TimeProvider? timeProvider = null,
        ILogger<GpioGate>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        _controller = controller;
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _passageHandler = OnPassageSensorChanged;
        _doorHandler = OnDoorContactChanged;
        _fireHandler = OnFireAlarmChanged;

        _controller.OpenPin(options.RelayPin, PinMode.Output, RelayLevel(energized: false));
        var sensorMode = options.PassageSensorActiveHigh ? PinMode.InputPullDown : PinMode.InputPullUp;
        _controller.OpenPin(options.PassageSensorPin, sensorMode);
        _controller.RegisterCallbackForPinValueChangedEvent(
            options.PassageSensorPin, PassageEdge, _passageHandler);
        OpenDoorContact();
        OpenFireAlarm();
    }

    /// <summary>
    /// Raised for every alarm: a passage or door opening without an opening pending, a door held
    /// open, a relay fault, or a fire alarm. Runs on the thread that saw the pin change.
    /// </summary>
    public event EventHandler<GateAlarmEventArgs>? AlarmRaised;

    /// <summary>
    /// Raised when a door forced or door held alarm ends because the door closed, and when the
    /// fire alarm input returns to rest. Runs on the thread that saw the pin change.
    /// </summary>
    public event EventHandler<GateAlarmEventArgs>? AlarmCleared;

    public GateState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>Passages the sensor reported while no opening was pending.</summary>
    public int UnexpectedPassageCount { get; private set; }

    private PinEventTypes PassageEdge =>
        _options.PassageSensorActiveHigh ? PinEventTypes.Rising : PinEventTypes.Falling;

    public void Open()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        lock (_lock)
        {
            _passage?.TrySetResult(false);
            _passage = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_fireActive)
            {
                // The relay already stays energized until the fire alarm clears.
                return;
            }

            _state = GateState.Open;
            _pulseTimer?.Dispose();
            if (!TryWriteRelay(energized: true))
            {
                return;
            }

            // NOTE: the release runs on the thread pool, so heavy load can lengthen the pulse,
            // and millisecond timer rounding can shorten it by a few ms. A dedicated timer
            // thread would bound the jitter.
            _pulseTimer = _timeProvider.CreateTimer(
                _ => EndPulse(), state: null, _options.PulseLength, Timeout.InfiniteTimeSpan);
        }

        LogOpened(_logger, _options.RelayPin, _options.PulseLength.TotalMilliseconds);
    }

    public async Task<PassageOutcome> WaitForPassageAsync(
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);

        TaskCompletionSource<bool>? passage;
        lock (_lock)
        {
            passage = _passage;
        }

        if (passage is null)
        {
            throw new InvalidOperationException(
                "No opening is pending: call Open before WaitForPassageAsync.");
        }

        bool passed;
        try
        {
            passed = await passage.Task.WaitAsync(timeout, _timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            passed = false;
        }

        return Complete(passage, passed);
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
            _pulseTimer?.Dispose();
            _doorHeldTimer?.Dispose();
            _passage?.TrySetResult(false);
        }

        CloseAlarmInputs();
        _controller.UnregisterCallbackForPinValueChangedEvent(_options.PassageSensorPin, _passageHandler);
        TryWriteRelay(energized: false);
        _controller.ClosePin(_options.PassageSensorPin);
        _controller.ClosePin(_options.RelayPin);
    }

    private PassageOutcome Complete(TaskCompletionSource<bool> passage, bool passed)
    {
        lock (_lock)
        {
            if (ReferenceEquals(_passage, passage))
            {
                _passage = null;
                if (_state == GateState.Open)
                {
                    _state = GateState.Closed;
                }
            }
        }

        var outcome = passed ? PassageOutcome.Passed : PassageOutcome.Annulled;
        LogPassage(_logger, outcome);
        return outcome;
    }

    private void EndPulse()
    {
        lock (_lock)
        {
            if (!_disposed && !_fireActive)
            {
                TryWriteRelay(energized: false);
            }
        }
    }

    private void OnPassageSensorChanged(object sender, PinValueChangedEventArgs args)
    {
        lock (_lock)
        {
            if (IsBounce())
            {
                return;
            }

            _lastPassageTimestamp = _timeProvider.GetTimestamp();
            if ((_passage is not null && _passage.TrySetResult(true)) || _fireActive)
            {
                return;
            }

            UnexpectedPassageCount++;
            _state = GateState.Alarm;
        }

        LogUnexpectedPassage(_logger, args.PinNumber);
        RaiseAlarm(GateAlarm.UnexpectedPassage, args.PinNumber);
    }

    private bool IsBounce() =>
        _lastPassageTimestamp is { } last
        && _timeProvider.GetElapsedTime(last) < _options.PassageDebounce;

    private bool TryWriteRelay(bool energized)
    {
        try
        {
            _controller.Write(_options.RelayPin, RelayLevel(energized));
            return true;
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException
            or UnauthorizedAccessException)
        {
            _state = GateState.Alarm;
            LogRelayFault(_logger, exception, _options.RelayPin, _options.FailSafe);
            ApplyFailLevel();
            RaiseAlarm(GateAlarm.RelayFault, _options.RelayPin);
            return false;
        }
    }

    private void ApplyFailLevel()
    {
        try
        {
            _controller.Write(_options.RelayPin, RelayLevel(energized: _options.FailSafe));
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException
            or UnauthorizedAccessException)
        {
            // The first fault is already logged, and a second failed write adds nothing to it.
            _ = exception;
        }
    }

    private PinValue RelayLevel(bool energized) =>
        energized == _options.ActiveHigh ? PinValue.High : PinValue.Low;

    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug,
        Message = "Gate relay on pin {RelayPin} pulsed for {PulseMilliseconds} ms")]
    private static partial void LogOpened(ILogger logger, int relayPin, double pulseMilliseconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "Gate opening ended: {Outcome}")]
    private static partial void LogPassage(ILogger logger, PassageOutcome outcome);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "Passage sensor on pin {SensorPin} reported a passage with no opening pending, gate in alarm")]
    private static partial void LogUnexpectedPassage(ILogger logger, int sensorPin);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error,
        Message = "Writing relay pin {RelayPin} failed; gate in alarm (fail-safe {FailSafe})")]
    private static partial void LogRelayFault(
        ILogger logger, Exception exception, int relayPin, bool failSafe);
}
