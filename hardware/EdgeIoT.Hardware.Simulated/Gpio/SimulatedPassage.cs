using System.Device.Gpio;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// A guest who crosses the light barrier each time the gate opens, for a bench lane without a
/// person at it: after every write of the relay's energized level, the passage sensor pin goes
/// active for <see cref="BeamBroken"/>, then idle again. Without it a simulated gate sees
/// nobody pass and annuls every admit.
/// </summary>
/// <remarks>
/// A guest crosses <see cref="WalkUp"/> after the opening, and never sooner than the gate's
/// passage debounce plus <see cref="WalkUp"/> after the previous guest, because the gate would
/// take two guests inside the debounce for one bouncing sensor.
/// </remarks>
public sealed class SimulatedPassage
{
    /// <summary>Time from the relay opening to the guest breaking the beam.</summary>
    public static readonly TimeSpan WalkUp = TimeSpan.FromMilliseconds(150);

    /// <summary>Time the guest's body keeps the beam broken.</summary>
    public static readonly TimeSpan BeamBroken = TimeSpan.FromMilliseconds(100);

    private readonly SimulatedGpioDriver _driver;
    private readonly GpioGateOptions _wiring;
    private readonly PinValue _relayEnergized;
    private readonly PinValue _sensorActive;
    private readonly PinValue _sensorIdle;
    private readonly Lock _lock = new();
    private readonly System.Diagnostics.Stopwatch _sinceAttach = System.Diagnostics.Stopwatch.StartNew();
    private Task _previousGuest = Task.CompletedTask;
    private TimeSpan? _lastCrossing;

    private SimulatedPassage(SimulatedGpioDriver driver, GpioGateOptions wiring)
    {
        _driver = driver;
        _wiring = wiring;
        _relayEnergized = wiring.ActiveHigh ? PinValue.High : PinValue.Low;
        _sensorActive = wiring.PassageSensorActiveHigh ? PinValue.High : PinValue.Low;
        _sensorIdle = wiring.PassageSensorActiveHigh ? PinValue.Low : PinValue.High;
    }

    /// <summary>
    /// Sets the sensor pin to its idle level and makes a guest cross after every opening of
    /// the relay. The gate must have opened both pins already.
    /// </summary>
    public static SimulatedPassage Attach(SimulatedGpioDriver driver, GpioGateOptions wiring)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(wiring);

        var passage = new SimulatedPassage(driver, wiring);
        driver.SetInput(wiring.PassageSensorPin, passage._sensorIdle);
        driver.OutputWritten += passage.OnOutputWritten;
        return passage;
    }

    private void OnOutputWritten(object? sender, PinEdge write)
    {
        if (write.Pin != _wiring.RelayPin || write.Value != _relayEnergized)
        {
            return;
        }

        lock (_lock)
        {
            _previousGuest = CrossAfterAsync(_previousGuest, _sinceAttach.Elapsed);
        }
    }

    // Guests cross in turn. The gap is measured from when the previous guest really crossed,
    // because a late timer on a loaded machine would otherwise put two crossings inside the
    // gate's debounce, and the gate would count them as one.
    private async Task CrossAfterAsync(Task previousGuest, TimeSpan opened)
    {
        await previousGuest.ConfigureAwait(false);
        TimeSpan earliest = opened + WalkUp;
        if (_lastCrossing is { } last && last + _wiring.PassageDebounce + WalkUp > earliest)
        {
            earliest = last + _wiring.PassageDebounce + WalkUp;
        }

        TimeSpan wait = earliest - _sinceAttach.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait).ConfigureAwait(false);
        }

        _driver.SetInput(_wiring.PassageSensorPin, _sensorActive);
        _lastCrossing = _sinceAttach.Elapsed;
        await Task.Delay(BeamBroken).ConfigureAwait(false);
        _driver.SetInput(_wiring.PassageSensorPin, _sensorIdle);
    }
}
