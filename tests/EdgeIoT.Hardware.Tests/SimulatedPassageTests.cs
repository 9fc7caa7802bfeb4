using System.Device.Gpio;
using EdgeIoT.Hardware.Simulated;

namespace EdgeIoT.Hardware.Tests;

/// <summary>
/// The simulated guest of a bench gate crosses after every opening, so the gate reports a
/// passage instead of annulling the admit, and nobody crosses while the gate stays shut.
/// </summary>
public sealed class SimulatedPassageTests : IDisposable
{
    private static readonly GpioGateOptions Options = new()
    {
        RelayPin = 17,
        PassageSensorPin = 27,
        PulseLength = TimeSpan.FromMilliseconds(200),
    };

    private readonly SimulatedGpioDriver _driver = new();
    private readonly GpioController _controller;
    private readonly GpioGate _gate;

    public SimulatedPassageTests()
    {
        _controller = new GpioController(_driver);
        _gate = new GpioGate(_controller, Options);
        SimulatedPassage.Attach(_driver, Options);
    }

    public void Dispose()
    {
        _gate.Dispose();
        _controller.Dispose();
    }

    [Fact]
    public async Task BackToBackAdmits_EachGuestCrosses()
    {
        // The second admit opens the gate while the relay is still energized from the first.
        var outcomes = new List<PassageOutcome>();
        for (int admit = 0; admit < 3; admit++)
        {
            _gate.Open();
            outcomes.Add(await _gate.WaitForPassageAsync(TimeSpan.FromSeconds(5), CancellationToken.None)
                .WaitAsync(TestTimeouts.Signal));
        }

        Assert.Equal([PassageOutcome.Passed, PassageOutcome.Passed, PassageOutcome.Passed], outcomes);
        Assert.Equal(0, _gate.UnexpectedPassageCount);
    }

    [Fact]
    public async Task GateShut_NobodyCrosses()
    {
        await Task.Delay(SimulatedPassage.WalkUp + SimulatedPassage.BeamBroken + TimeSpan.FromMilliseconds(100));

        Assert.Equal(0, _gate.UnexpectedPassageCount);
        Assert.Equal(PinValue.High, _driver.GetValue(Options.PassageSensorPin));
    }
}
