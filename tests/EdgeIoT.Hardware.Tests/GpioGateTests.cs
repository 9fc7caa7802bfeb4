using System.Device.Gpio;
using EdgeIoT.Hardware.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace EdgeIoT.Hardware.Tests;

public sealed class GpioGateTests : IDisposable
{
    private static readonly GpioGateOptions Options = new()
    {
        RelayPin = 17,
        PassageSensorPin = 27,
        PulseLength = TimeSpan.FromMilliseconds(200),
    };

    private readonly FakeTimeProvider _clock = new();
    private readonly SimulatedGpioDriver _driver;
    private readonly GpioController _controller;
    private readonly GpioGate _gate;

    public GpioGateTests()
    {
        _driver = new SimulatedGpioDriver(timeProvider: _clock);
        _controller = new GpioController(_driver);
        _gate = new GpioGate(_controller, Options, _clock);
    }

    [Fact]
    public void Open_RelayPulse_LastsConfiguredLength()
    {
        _gate.Open();
        var relayAfterOpen = _driver.GetValue(Options.RelayPin);
        _clock.Advance(TimeSpan.FromMilliseconds(199));
        var relayBeforeEnd = _driver.GetValue(Options.RelayPin);
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(PinValue.High, relayAfterOpen);
        Assert.Equal(PinValue.High, relayBeforeEnd);
        var edges = _driver.Edges.Where(edge => edge.Pin == Options.RelayPin).ToList();
        Assert.Equal([PinValue.High, PinValue.Low], edges.Select(edge => edge.Value));
        Assert.Equal(Options.PulseLength, _driver.GetElapsedTime(edges[0], edges[1]));
    }

    [Fact]
    public async Task Open_SystemClock_PulseEndsWithinTolerance()
    {
        var driver = new SimulatedGpioDriver();
        using var controller = new GpioController(driver);
        using var gate = new GpioGate(controller, Options);
        var released = new TaskCompletionSource<PinEdge>(TaskCreationOptions.RunContinuationsAsynchronously);
        driver.EdgeRecorded += (_, edge) =>
        {
            if (edge.Pin == Options.RelayPin && edge.Value == PinValue.Low)
            {
                released.TrySetResult(edge);
            }
        };

        gate.Open();
        var low = await released.Task.WaitAsync(TestTimeouts.Signal);

        var high = driver.Edges.Single(edge => edge.Pin == Options.RelayPin && edge.Value == PinValue.High);
        var pulse = driver.GetElapsedTime(high, low);

        // .NET timers keep due times in whole milliseconds, so a pulse can measure a few ms
        // short on the Stopwatch clock. The upper bound only catches a timer
        // that never fires, because a loaded test machine delays thread-pool timers by hundreds of ms.
        Assert.True(
            pulse >= Options.PulseLength - TimeSpan.FromMilliseconds(5),
            $"Pulse of {pulse.TotalMilliseconds} ms is shorter than 195 ms.");
        Assert.True(pulse < TimeSpan.FromSeconds(5), $"Pulse of {pulse.TotalMilliseconds} ms never ended on time.");
    }

    [Fact]
    public async Task WaitForPassage_SensorFires_ReturnsPassed()
    {
        _gate.Open();
        var wait = _gate.WaitForPassageAsync(TimeSpan.FromSeconds(5), CancellationToken.None);

        // The default light barrier is active low and idles high through the pull-up.
        _driver.SetInput(Options.PassageSensorPin, PinValue.Low);
        var outcome = await wait.WaitAsync(TestTimeouts.Signal);

        Assert.Equal(PassageOutcome.Passed, outcome);
        Assert.Equal(GateState.Closed, _gate.State);
    }

    [Fact]
    public async Task WaitForPassage_NobodyPasses_ReturnsAnnulled()
    {
        _gate.Open();

        var wait = _gate.WaitForPassageAsync(TimeSpan.FromSeconds(8), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(8));
        var outcome = await wait.WaitAsync(TestTimeouts.Signal);

        Assert.Equal(PassageOutcome.Annulled, outcome);
        Assert.Equal(GateState.Closed, _gate.State);
    }

    [Fact]
    public async Task WaitForPassage_EarlyPassage_ReturnsPassed()
    {
        _gate.Open();
        _driver.SetInput(Options.PassageSensorPin, PinValue.Low);

        var outcome = await _gate.WaitForPassageAsync(TimeSpan.FromSeconds(5), CancellationToken.None)
            .WaitAsync(TestTimeouts.Signal);

        Assert.Equal(PassageOutcome.Passed, outcome);
    }

    [Fact]
    public async Task Sensor_BouncingEdges_CountOnePassage()
    {
        _gate.Open();
        var wait = _gate.WaitForPassageAsync(TimeSpan.FromSeconds(5), CancellationToken.None);

        _driver.SetInput(Options.PassageSensorPin, PinValue.Low);
        _driver.SetInput(Options.PassageSensorPin, PinValue.High);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        _driver.SetInput(Options.PassageSensorPin, PinValue.Low);
        var outcome = await wait.WaitAsync(TestTimeouts.Signal);

        Assert.Equal(PassageOutcome.Passed, outcome);
        Assert.Equal(GateState.Closed, _gate.State);
        Assert.Equal(0, _gate.UnexpectedPassageCount);
    }

    [Fact]
    public async Task Sensor_SecondPassageAfterDebounce_RaisesAlarm()
    {
        _gate.Open();
        _driver.SetInput(Options.PassageSensorPin, PinValue.Low);
        await _gate.WaitForPassageAsync(TimeSpan.FromSeconds(5), CancellationToken.None)
            .WaitAsync(TestTimeouts.Signal);

        _driver.SetInput(Options.PassageSensorPin, PinValue.High);
        _clock.Advance(TimeSpan.FromSeconds(1));
        _driver.SetInput(Options.PassageSensorPin, PinValue.Low);

        Assert.Equal(GateState.Alarm, _gate.State);
        Assert.Equal(1, _gate.UnexpectedPassageCount);
    }

    [Fact]
    public void Sensor_PassageWithoutOpening_RaisesAlarm()
    {
        _driver.SetInput(Options.PassageSensorPin, PinValue.Low);

        Assert.Equal(GateState.Alarm, _gate.State);
        Assert.Equal(1, _gate.UnexpectedPassageCount);
    }

    [Fact]
    public void Open_RelayWriteFails_EntersAlarmWithoutThrowing()
    {
        _driver.FaultyPin = Options.RelayPin;

        _gate.Open();

        Assert.Equal(GateState.Alarm, _gate.State);
    }

    [Fact]
    public void Constructor_SamePinTwice_ThrowsNamingPins()
    {
        using var controller = new GpioController(new SimulatedGpioDriver());
        var options = Options with { PassageSensorPin = Options.RelayPin };

        var error = Assert.Throws<ArgumentException>(() => new GpioGate(controller, options));

        Assert.Contains("relay 17, passage sensor 17", error.Message);
    }

    public void Dispose()
    {
        _gate.Dispose();
        _controller.Dispose();
    }
}
