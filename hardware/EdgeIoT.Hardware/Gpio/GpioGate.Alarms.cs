using System.Device.Gpio;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hardware;

/// <summary>Door contact (forced and held alarms) and fire alarm release of a <see cref="GpioGate"/>.</summary>
public sealed partial class GpioGate
{
    private const PinEventTypes BothEdges = PinEventTypes.Rising | PinEventTypes.Falling;
    private ITimer? _doorHeldTimer;
    private GateAlarm? _doorAlarm;
    private bool _fireActive;

    /// <summary>True while the fire alarm input is active and the lane is released.</summary>
    public bool FireReleaseActive
    {
        get
        {
            lock (_lock)
            {
                return _fireActive;
            }
        }
    }

    private void OpenDoorContact()
    {
        if (_options.DoorContactPin is not { } pin)
        {
            return;
        }

        _controller.OpenPin(pin, _options.DoorOpenActiveHigh ? PinMode.InputPullUp : PinMode.InputPullDown);
        _controller.RegisterCallbackForPinValueChangedEvent(pin, BothEdges, _doorHandler);
    }

    private void OpenFireAlarm()
    {
        if (_options.FireAlarmPin is not { } pin)
        {
            return;
        }

        _controller.OpenPin(pin, _options.FireAlarmActiveHigh ? PinMode.InputPullUp : PinMode.InputPullDown);
        _controller.RegisterCallbackForPinValueChangedEvent(pin, BothEdges, _fireHandler);

        // An alarm that is already active at start releases the lane at once.
        SetFireAlarm(active: (_controller.Read(pin) == PinValue.High) == _options.FireAlarmActiveHigh, pin);
    }

    private void CloseAlarmInputs()
    {
        if (_options.DoorContactPin is { } door)
        {
            _controller.UnregisterCallbackForPinValueChangedEvent(door, _doorHandler);
            _controller.ClosePin(door);
        }

        if (_options.FireAlarmPin is { } fire)
        {
            _controller.UnregisterCallbackForPinValueChangedEvent(fire, _fireHandler);
            _controller.ClosePin(fire);
        }
    }

    private void OnDoorContactChanged(object sender, PinValueChangedEventArgs args)
    {
        bool open = (args.ChangeType == PinEventTypes.Rising) == _options.DoorOpenActiveHigh;
        bool forced = false;
        GateAlarm? cleared = null;
        lock (_lock)
        {
            _doorHeldTimer?.Dispose();
            _doorHeldTimer = null;
            if (_disposed)
            {
                return;
            }

            if (!open)
            {
                cleared = EndDoorAlarm();
            }
            else if (_fireActive)
            {
                // The fire release holds the lane open, so an open door is expected.
            }
            else if (_passage is not null || _state == GateState.Open)
            {
                _doorHeldTimer = _timeProvider.CreateTimer(
                    _ => OnDoorHeld(args.PinNumber), state: null, _options.DoorHeldTimeout, Timeout.InfiniteTimeSpan);
            }
            else
            {
                forced = true;
                _doorAlarm = GateAlarm.DoorForced;
                _state = GateState.Alarm;
            }
        }

        if (forced)
        {
            LogDoorForced(_logger, args.PinNumber);
            RaiseAlarm(GateAlarm.DoorForced, args.PinNumber);
        }

        if (cleared is GateAlarm doorAlarm)
        {
            LogDoorClosed(_logger, args.PinNumber, doorAlarm);
            ClearAlarm(doorAlarm, args.PinNumber);
        }
    }

    /// <summary>Ends a door forced or held alarm when the door closes. Call it under the lock.</summary>
    private GateAlarm? EndDoorAlarm()
    {
        GateAlarm? ended = _doorAlarm;
        _doorAlarm = null;
        if (ended is not null && _state == GateState.Alarm)
        {
            _state = GateState.Closed;
        }

        return ended;
    }

    private void OnDoorHeld(int pin)
    {
        lock (_lock)
        {
            if (_disposed || _fireActive || _doorHeldTimer is null)
            {
                return;
            }

            _doorAlarm = GateAlarm.DoorHeld;
            _state = GateState.Alarm;
        }

        LogDoorHeld(_logger, pin, _options.DoorHeldTimeout.TotalSeconds);
        RaiseAlarm(GateAlarm.DoorHeld, pin);
    }

    private void OnFireAlarmChanged(object sender, PinValueChangedEventArgs args) =>
        SetFireAlarm(active: (args.ChangeType == PinEventTypes.Rising) == _options.FireAlarmActiveHigh, args.PinNumber);

    private void SetFireAlarm(bool active, int pin)
    {
        lock (_lock)
        {
            if (_disposed || active == _fireActive)
            {
                return;
            }

            _fireActive = active;
            _pulseTimer?.Dispose();
            _doorHeldTimer?.Dispose();
            _doorHeldTimer = null;
            _state = active ? GateState.FireRelease : GateState.Closed;
            TryWriteRelay(energized: active);
        }

        if (active)
        {
            LogFireRelease(_logger, pin, _options.RelayPin);
            RaiseAlarm(GateAlarm.FireAlarm, pin);
        }
        else
        {
            LogFireCleared(_logger, pin);
            ClearAlarm(GateAlarm.FireAlarm, pin);
        }
    }

    private void RaiseAlarm(GateAlarm alarm, int pin) => AlarmRaised?.Invoke(this, new GateAlarmEventArgs(alarm, pin));

    private void ClearAlarm(GateAlarm alarm, int pin) => AlarmCleared?.Invoke(this, new GateAlarmEventArgs(alarm, pin));

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning,
        Message = "Door contact on pin {DoorPin} opened with no opening pending: door forced, gate in alarm")]
    private static partial void LogDoorForced(ILogger logger, int doorPin);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning,
        Message = "Door contact on pin {DoorPin} open longer than {TimeoutSeconds} s: door held, gate in alarm")]
    private static partial void LogDoorHeld(ILogger logger, int doorPin, double timeoutSeconds);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information,
        Message = "Door contact on pin {DoorPin} closed: {Alarm} alarm cleared, gate back in service")]
    private static partial void LogDoorClosed(ILogger logger, int doorPin, GateAlarm alarm);

    [LoggerMessage(EventId = 4008, Level = LogLevel.Critical,
        Message = "Fire alarm on pin {FirePin}: relay on pin {RelayPin} held energized, lane released")]
    private static partial void LogFireRelease(ILogger logger, int firePin, int relayPin);

    [LoggerMessage(EventId = 4009, Level = LogLevel.Warning,
        Message = "Fire alarm on pin {FirePin} cleared: relay released, gate back in service")]
    private static partial void LogFireCleared(ILogger logger, int firePin);
}
