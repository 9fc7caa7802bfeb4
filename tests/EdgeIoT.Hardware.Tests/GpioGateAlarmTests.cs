using System.Device.Gpio;
using EdgeIoT.Hardware.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace EdgeIoT.Hardware.Tests;

public sealed class GpioGateAlarmTests : IDisposable
{
    private const int Relay = 17;
    private const int Passage = 27;
    private const int Door = 5;
    private const int Fire = 6;

    private static readonly GpioGateOptions Options = new()
    {
        RelayPin = Relay,
        PassageSensorPin = Passage,
        DoorContactPin = Door,
        FireAlarmPin = Fire,
        DoorHeldTimeout = TimeSpan.FromSeconds(30),
    };

    private readonly FakeTimeProvider _clock = new();
    private readonly SimulatedGpioDriver _driver;
    private readonly GpioController _controller;
    private readonly GpioGate _gate;
    private readonly List<GateAlarm> _alarms = [];
    private readonly List<GateAlarm> _cleared = [];

    public GpioGateAlarmTests()
    {
        _driver = new SimulatedGpioDriver(timeProvider: _clock);
        _controller = new GpioController(_driver);
        _gate = new GpioGate(_controller, Options, _clock);
        _gate.AlarmRaised += (_, args) => _alarms.Add(args.Alarm);
        _gate.AlarmCleared += (_, args) => _cleared.Add(args.Alarm);

        // Wired and at rest: the fire panel's closed contact and the closed door both pull low.
        _driver.SetInput(Fire, PinValue.Low);
        _driver.SetInput(Door, PinValue.Low);
        _alarms.Clear();
        _cleared.Clear();
    }

    [Fact]
    public void DoorForced_DoorCloses_ClearsAlarm()
    {
        _driver.SetInput(Door, PinValue.High);

        _driver.SetInput(Door, PinValue.Low);

        Assert.Equal([GateAlarm.DoorForced], _cleared);
        Assert.Equal(GateState.Closed, _gate.State);
    }

    [Fact]
    public void DoorHeld_DoorCloses_ClearsAlarm()
    {
        _gate.Open();
        _driver.SetInput(Door, PinValue.High);
        _clock.Advance(TimeSpan.FromSeconds(30));

        _driver.SetInput(Door, PinValue.Low);

        Assert.Equal([GateAlarm.DoorHeld], _cleared);
    }

    [Fact]
    public void DoorClosed_NoAlarmBefore_ClearsNothing()
    {
        _gate.Open();
        _driver.SetInput(Door, PinValue.High);

        _driver.SetInput(Door, PinValue.Low);

        Assert.Empty(_cleared);
    }

    [Fact]
    public void FireAlarm_InputAtRest_ClearsFireAlarm()
    {
        _driver.SetInput(Fire, PinValue.High);

        _driver.SetInput(Fire, PinValue.Low);

        Assert.Equal([GateAlarm.FireAlarm], _cleared);
    }

    [Fact]
    public void DoorContact_OpensWithoutOpening_RaisesDoorForced()
    {
        _driver.SetInput(Door, PinValue.High);

        Assert.Equal([GateAlarm.DoorForced], _alarms);
        Assert.Equal(GateState.Alarm, _gate.State);
    }

    [Fact]
    public void DoorContact_OpenPastHeldTimeout_RaisesDoorHeld()
    {
        _gate.Open();
        _driver.SetInput(Door, PinValue.High);
        _clock.Advance(TimeSpan.FromSeconds(29));
        var beforeTimeout = _alarms.ToList();

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Empty(beforeTimeout);
        Assert.Equal([GateAlarm.DoorHeld], _alarms);
        Assert.Equal(GateState.Alarm, _gate.State);
    }

    [Fact]
    public void DoorContact_ClosedBeforeHeldTimeout_RaisesNothing()
    {
        _gate.Open();
        _driver.SetInput(Door, PinValue.High);
        _clock.Advance(TimeSpan.FromSeconds(10));

        _driver.SetInput(Door, PinValue.Low);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Empty(_alarms);
    }

    [Fact]
    public void FireAlarm_Active_HoldsRelayEnergizedThroughOpenings()
    {
        _driver.SetInput(Fire, PinValue.High);
        var stateDuringFire = _gate.State;
        _gate.Open();
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(PinValue.High, _driver.GetValue(Relay));
        Assert.Equal(GateState.FireRelease, stateDuringFire);
        Assert.True(_gate.FireReleaseActive);
        Assert.Equal([GateAlarm.FireAlarm], _alarms);
    }

    [Fact]
    public void FireAlarm_PassagesDuringEvacuation_RaiseNoAlarm()
    {
        _driver.SetInput(Fire, PinValue.High);
        _alarms.Clear();

        _driver.SetInput(Passage, PinValue.Low);
        _driver.SetInput(Door, PinValue.High);

        Assert.Empty(_alarms);
        Assert.Equal(0, _gate.UnexpectedPassageCount);
    }

    [Fact]
    public void FireAlarm_Cleared_ReleasesRelayAndReturnsToClosed()
    {
        _driver.SetInput(Fire, PinValue.High);

        _driver.SetInput(Fire, PinValue.Low);

        Assert.Equal(PinValue.Low, _driver.GetValue(Relay));
        Assert.Equal(GateState.Closed, _gate.State);
        Assert.False(_gate.FireReleaseActive);
        var relayEdges = _driver.Edges.Where(edge => edge.Pin == Relay).Select(edge => edge.Value).ToList();
        Assert.Equal([PinValue.High, PinValue.Low], relayEdges[^2..]);
    }

    [Fact]
    public void FireAlarm_WireCutAtStart_ReleasesLaneAtOnce()
    {
        var driver = new SimulatedGpioDriver(timeProvider: _clock);
        using var controller = new GpioController(driver);

        // Nothing pulls the fire input low, so the pull-up reads it as an active alarm.
        using var gate = new GpioGate(controller, Options, _clock);

        Assert.Equal(PinValue.High, driver.GetValue(Relay));
        Assert.Equal(GateState.FireRelease, gate.State);
    }

    [Fact]
    public void Options_DoorContactOnRelayPin_RejectedNamingPin()
    {
        var options = Options with { DoorContactPin = Relay };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("pin 17", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_DoorAndFireOnSamePin_Rejected()
    {
        var options = Options with { DoorContactPin = 9, FireAlarmPin = 9 };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("share pin 9", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _gate.Dispose();
        _controller.Dispose();
    }
}
