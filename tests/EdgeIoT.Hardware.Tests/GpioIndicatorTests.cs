using System.Device.Gpio;
using EdgeIoT.Hardware.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace EdgeIoT.Hardware.Tests;

public sealed class GpioIndicatorTests : IDisposable
{
    private static readonly GpioIndicatorOptions Options = new()
    {
        AdmitPin = 22,
        DenyPin = 23,
        ShowDuration = TimeSpan.FromSeconds(1),
    };

    private readonly FakeTimeProvider _clock = new();
    private readonly SimulatedGpioDriver _driver;
    private readonly GpioController _controller;
    private readonly GpioIndicator _indicator;

    public GpioIndicatorTests()
    {
        _driver = new SimulatedGpioDriver(timeProvider: _clock);
        _controller = new GpioController(_driver);
        _indicator = new GpioIndicator(_controller, Options, _clock);
    }

    [Fact]
    public void Show_Admitted_GreenLitThenDark()
    {
        _indicator.Show(admitted: true, "ok");
        var green = _driver.GetValue(Options.AdmitPin);
        var red = _driver.GetValue(Options.DenyPin);
        _clock.Advance(Options.ShowDuration);

        Assert.Equal(PinValue.High, green);
        Assert.Equal(PinValue.Low, red);
        Assert.Equal(PinValue.Low, _driver.GetValue(Options.AdmitPin));
    }

    [Fact]
    public void Show_DeniedAfterAdmitted_RedReplacesGreen()
    {
        _indicator.Show(admitted: true, "ok");
        _clock.Advance(TimeSpan.FromMilliseconds(500));

        _indicator.Show(admitted: false, "expired");
        _clock.Advance(TimeSpan.FromMilliseconds(600));

        Assert.Equal(PinValue.Low, _driver.GetValue(Options.AdmitPin));
        Assert.Equal(PinValue.High, _driver.GetValue(Options.DenyPin));
    }

    [Fact]
    public void Show_PinWriteFails_LogsErrorWithoutThrowing()
    {
        var logger = new RecordingLogger<GpioIndicator>();
        var driver = new SimulatedGpioDriver(timeProvider: _clock);
        using var controller = new GpioController(driver);
        using var indicator = new GpioIndicator(controller, Options, _clock, logger);
        driver.FaultyPin = Options.DenyPin;

        indicator.Show(admitted: false, "revoked");

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(4005, entry.EventId.Id);
    }

    public void Dispose()
    {
        _indicator.Dispose();
        _controller.Dispose();
    }
}
