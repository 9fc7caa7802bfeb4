using System.Device.Gpio;
using EdgeIoT.Hardware.Simulated;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeIoT.Hardware.Tests;

public sealed class HardwareServiceCollectionExtensionsTests
{
    [Fact]
    public void AddGpioGate_ConfiguredPins_UsedByGate()
    {
        var configuration = Build(new()
        {
            ["Gate:RelayPin"] = "5",
            ["Gate:PassageSensorPin"] = "6",
            ["Gate:PulseLength"] = "00:00:00.300",
        });
        var driver = new SimulatedGpioDriver();
        var services = new ServiceCollection().AddSingleton(new GpioController(driver));

        services.AddGpioGate(configuration.GetSection("Gate"));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IGate>().Open();

        Assert.Equal(PinValue.High, driver.GetValue(5));
        Assert.Contains(driver.Edges, edge => edge.Pin == 5 && edge.Value == PinValue.High);
    }

    [Fact]
    public async Task AddEscPosPrinter_ConfiguredPort_ReachesPrinter()
    {
        await using var simulator = new EscPosPrinterSimulator { PaperNearEnd = true };
        var configuration = Build(new() { ["Printer:Port"] = simulator.Port.ToString() });
        var services = new ServiceCollection();
        using var timeout = TestTimeouts.Create();

        services.AddEscPosPrinter(configuration.GetSection("Printer"));
        using var provider = services.BuildServiceProvider();
        var status = await provider.GetRequiredService<IReceiptPrinter>().GetStatusAsync(timeout.Token);

        Assert.True(status.Online);
        Assert.True(status.PaperNearEnd);
    }

    [Fact]
    public async Task AddTcpLineScanner_TwoSections_TwoScanners()
    {
        var configuration = Build(new()
        {
            ["Scanners:Qr:Name"] = "lane-1-qr",
            ["Scanners:Qr:Port"] = "9001",
            ["Scanners:Nfc:Name"] = "lane-1-nfc",
            ["Scanners:Nfc:Port"] = "9002",
            ["Scanners:Nfc:Source"] = "Nfc",
            ["Scanners:Nfc:Backoff:Initial"] = "00:00:01",
        });
        var services = new ServiceCollection();

        services.AddTcpLineScanner(configuration.GetSection("Scanners:Qr"));
        services.AddTcpLineScanner(configuration.GetSection("Scanners:Nfc"));
        await using var provider = services.BuildServiceProvider();
        var scanners = provider.GetServices<IScanner>().ToList();

        Assert.Equal(["lane-1-qr", "lane-1-nfc"], scanners.Select(scanner => scanner.Name));
    }

    private static IConfiguration Build(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
