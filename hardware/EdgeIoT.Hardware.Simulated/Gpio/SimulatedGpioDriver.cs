using System.Device.Gpio;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// A GPIO driver whose pins are plain state. It records every level change with a timestamp
/// from its <see cref="TimeProvider"/> and lets a test drive input pins with
/// <see cref="SetInput"/>. It raises pin-change callbacks for the registered edges as a real
/// driver does.
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, PinMode> _modes = [];
    private readonly Dictionary<int, PinValue> _values = [];
    private readonly Dictionary<int, List<(PinEventTypes Types, PinChangeEventHandler Handler)>> _callbacks = [];
    private readonly List<PinEdge> _edges = [];
    private readonly TimeProvider _timeProvider;

    public SimulatedGpioDriver(int pinCount = 28, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pinCount, 1);

        PinCount = pinCount;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    protected override int PinCount { get; }

    /// <summary>Raised after every recorded level change, output or input.</summary>
    public event EventHandler<PinEdge>? EdgeRecorded;

    /// <summary>Raised after every write to an output pin, also one that leaves its level as it was.</summary>
    public event EventHandler<PinEdge>? OutputWritten;

    /// <summary>Every level change so far, oldest first.</summary>
    public IReadOnlyList<PinEdge> Edges
    {
        get
        {
            lock (_lock)
            {
                return [.. _edges];
            }
        }
    }

    /// <summary>When set, writes to this pin throw <see cref="IOException"/> like a failed chip.</summary>
    public int? FaultyPin { get; set; }

    /// <summary>Returns the time between two edges, on the driver's clock.</summary>
    public TimeSpan GetElapsedTime(PinEdge from, PinEdge to) =>
        _timeProvider.GetElapsedTime(from.TimestampTicks, to.TimestampTicks);

    /// <summary>Returns the current level of <paramref name="pin"/>.</summary>
    public PinValue GetValue(int pin)
    {
        lock (_lock)
        {
            return _values.GetValueOrDefault(pin, PinValue.Low);
        }
    }

    /// <summary>
    /// Drives an input pin, as the sensor wired to it would, and raises the callbacks
    /// registered for the resulting edge.
    /// </summary>
    public void SetInput(int pin, PinValue value)
    {
        lock (_lock)
        {
            var mode = RequireOpen(pin);
            if (mode == PinMode.Output)
            {
                throw new InvalidOperationException(
                    $"Pin {pin} is an output, so a test cannot drive it: open it as an input.");
            }
        }

        ChangeLevel(pin, value);
    }

    protected override void OpenPin(int pinNumber)
    {
        ValidatePin(pinNumber);
        lock (_lock)
        {
            _modes.TryAdd(pinNumber, PinMode.Input);
            _values.TryAdd(pinNumber, PinValue.Low);
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_lock)
        {
            _modes.Remove(pinNumber);
            _callbacks.Remove(pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_lock)
        {
            RequireOpen(pinNumber);
            _modes[pinNumber] = mode;
        }

        // A pull-up keeps an undriven input high, as on a real pin.
        if (mode == PinMode.InputPullUp)
        {
            ChangeLevel(pinNumber, PinValue.High);
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_lock)
        {
            return RequireOpen(pinNumber);
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber)
    {
        lock (_lock)
        {
            RequireOpen(pinNumber);
            return _values[pinNumber];
        }
    }

    protected override void Toggle(int pinNumber) => Write(pinNumber, !Read(pinNumber));

    protected override void Write(int pinNumber, PinValue value)
    {
        if (FaultyPin == pinNumber)
        {
            throw new IOException($"Simulated fault writing pin {pinNumber}.");
        }

        lock (_lock)
        {
            RequireOpen(pinNumber);
        }

        ChangeLevel(pinNumber, value);
        OutputWritten?.Invoke(this, new PinEdge(pinNumber, value, _timeProvider.GetTimestamp()));
    }

    protected override WaitForEventResult WaitForEvent(
        int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        return WaitForEventAsync(pinNumber, eventTypes, cancellationToken).AsTask().GetAwaiter().GetResult();
    }

    protected override ValueTask<WaitForEventResult> WaitForEventAsync(
        int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<WaitForEventResult>(
            TaskCreationOptions.RunContinuationsAsynchronously);
        PinChangeEventHandler handler = (_, args) =>
            completion.TrySetResult(new WaitForEventResult { EventTypes = args.ChangeType, TimedOut = false });
        AddCallbackForPinValueChangedEvent(pinNumber, eventTypes, handler);
        cancellationToken.Register(() => completion.TrySetResult(new WaitForEventResult { TimedOut = true }));
        return new ValueTask<WaitForEventResult>(completion.Task.ContinueWith(
            task =>
            {
                RemoveCallbackForPinValueChangedEvent(pinNumber, handler);
                return task.Result;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default));
    }

    protected override void AddCallbackForPinValueChangedEvent(
        int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            RequireOpen(pinNumber);
            if (!_callbacks.TryGetValue(pinNumber, out var list))
            {
                list = [];
                _callbacks[pinNumber] = list;
            }

            list.Add((eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            if (_callbacks.TryGetValue(pinNumber, out var list))
            {
                list.RemoveAll(entry => entry.Handler == callback);
            }
        }
    }

    private void ChangeLevel(int pin, PinValue value)
    {
        PinEdge edge;
        List<PinChangeEventHandler> handlers = [];
        lock (_lock)
        {
            if (_values.TryGetValue(pin, out var current) && current == value)
            {
                return;
            }

            _values[pin] = value;
            edge = new PinEdge(pin, value, _timeProvider.GetTimestamp());
            _edges.Add(edge);
            var change = value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            if (_callbacks.TryGetValue(pin, out var list))
            {
                handlers.AddRange(
                    list.Where(entry => (entry.Types & change) != 0).Select(entry => entry.Handler));
            }
        }

        // Callbacks run outside the lock, so a handler may read or write pins.
        var changeType = value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
        var args = new PinValueChangedEventArgs(changeType, pin);
        foreach (var handler in handlers)
        {
            handler(this, args);
        }

        EdgeRecorded?.Invoke(this, edge);
    }

    private PinMode RequireOpen(int pin)
    {
        if (!_modes.TryGetValue(pin, out var mode))
        {
            throw new InvalidOperationException($"Pin {pin} is not open; open it before using it.");
        }

        return mode;
    }

    private void ValidatePin(int pin)
    {
        if (pin < 0 || pin >= PinCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(pin), pin, $"Pin {pin} does not exist: use 0 to {PinCount - 1}.");
        }
    }
}
