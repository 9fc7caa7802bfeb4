using System.Device.Gpio;
using EdgeIoT.EdgeAgent.Hosting;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeIoT.EdgeAgent.Tests;

public sealed class LaneAlarmTests
{
    private const int DoorPin = 5;
    private const int FirePin = 6;

    [Fact]
    public async Task GateAlarms_ReachHubAsStatus()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        var gpio = new SimulatedGpioDriver();
        using var gate = new GpioGate(
            new GpioController(gpio),
            new GpioGateOptions { DoorContactPin = DoorPin, FireAlarmPin = FirePin });
        gpio.SetInput(DoorPin, PinValue.Low);
        gpio.SetInput(FirePin, PinValue.Low);
        using IHost host = BuildHost(keys, folder.Path, hub.Port, gate);
        await host.StartAsync(timeout.Token);

        gpio.SetInput(DoorPin, PinValue.High);
        gpio.SetInput(DoorPin, PinValue.Low);
        gpio.SetInput(FirePin, PinValue.High);
        gpio.SetInput(FirePin, PinValue.Low);
        var details = new List<string?>();
        while (details.Count < 4)
        {
            EdgeEvent stored = await hub.Events.Reader.ReadAsync(timeout.Token);
            Assert.Equal(EventKinds.Status, stored.Kind);
            details.Add(stored.Detail);
        }

        await host.StopAsync(timeout.Token);

        Assert.Equal(
            [
                "door forced on pin 5",
                "door closed on pin 5",
                "fire release on pin 6: lane held open",
                "fire cleared on pin 6: lane back in service",
            ],
            details);
    }

    [Theory]
    [InlineData(false, false, true, false, "paper out")]
    [InlineData(true, false, false, false, "paper loaded")]
    [InlineData(false, false, false, true, "cover open")]
    [InlineData(false, true, false, false, "cover closed")]
    [InlineData(true, true, false, false, "paper loaded|cover closed")]
    [InlineData(true, false, true, false, "")]
    public void PrinterChange_Details_NameBeganAndEnded(
        bool wasPaperOut, bool wasCoverOpen, bool paperOut, bool coverOpen, string expected)
    {
        var previous = new PrinterStatus(Online: !wasPaperOut && !wasCoverOpen, wasPaperOut, wasCoverOpen, PaperNearEnd: false);
        var current = new PrinterStatus(Online: !paperOut && !coverOpen, paperOut, coverOpen, PaperNearEnd: false);

        IReadOnlyList<string> details = LaneAlarmService.DetailsOf(previous, current);

        Assert.Equal(expected, string.Join('|', details));
    }

    [Fact]
    public void PrinterFirstReading_Healthy_ReportsNothing()
    {
        var healthy = new PrinterStatus(Online: true, PaperOut: false, CoverOpen: false, PaperNearEnd: true);

        Assert.Empty(LaneAlarmService.DetailsOf(previous: null, healthy));
    }

    private static IHost BuildHost(VenueKeys keys, string dataDirectory, int hubPort, IGate gate) =>
        AgentApp.Build(
            [],
            options =>
            {
                options.DeviceId = "lane-alarm";
                options.Venue = TestHub.Venue;
                options.EventId = VenueKeys.EventId;
                options.DataDirectory = dataDirectory;
                options.RootPublicKey = keys.RootPublicKeyBase64;
                options.Mqtt.Port = hubPort;
                options.Mqtt.ReconnectMinDelay = TimeSpan.FromMilliseconds(50);
                options.TrustLocalClock = true;
            },
            services =>
            {
                services.AddSingleton<IScanner>(new SimulatedCamera());
                services.AddSingleton(gate);
            });
}
