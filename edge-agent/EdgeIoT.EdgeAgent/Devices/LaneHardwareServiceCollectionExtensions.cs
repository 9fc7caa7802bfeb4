using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Globalization;
using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Devices;

/// <summary>
/// Registers the lane's scanner, gate and printer from the "Agent:Hardware" settings. All use
/// TryAdd, so devices a simulator registers first take precedence.
/// </summary>
public static class LaneHardwareServiceCollectionExtensions
{
    public static IServiceCollection AddLaneHardware(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.TryAddSingleton<IScanner>(provider => CreateScanner(provider, Options(provider)));
        services.TryAddSingleton<IGate>(provider => CreateGate(provider, Options(provider)));
        services.TryAddSingleton<IReceiptPrinter>(provider => CreatePrinter(provider, Options(provider)));
        return services;
    }

    private static AgentOptions Options(IServiceProvider provider) =>
        provider.GetRequiredService<IOptions<AgentOptions>>().Value;

    private static IScanner CreateScanner(IServiceProvider provider, AgentOptions options)
    {
        string[] kinds = options.Hardware.ScannerKinds();
        if (kinds.Length == 1)
        {
            return CreateScanner(provider, options, kinds[0]);
        }

        if (kinds.Length == 0 || kinds.Distinct(StringComparer.Ordinal).Count() != kinds.Length)
        {
            throw new OptionsValidationException(
                "Agent:Hardware:Scanner",
                typeof(HardwareOptions),
                [$"Agent:Hardware:Scanner '{options.Hardware.Scanner}' is invalid: list each of camera-inbox, serial, tcp, evdev or nfc at most once, separated by commas."]);
        }

        return new MergedScanner([.. kinds.Select(kind => CreateScanner(provider, options, kind))]);
    }

    private static IScanner CreateScanner(IServiceProvider provider, AgentOptions options, string kind)
    {
        HardwareOptions hardware = options.Hardware;
        ILoggerFactory loggers = provider.GetRequiredService<ILoggerFactory>();
        return kind switch
        {
            "camera-inbox" => new SimulatedCamera(
                new SimulatedCameraOptions { InboxFolder = ResolveFolder(options, hardware.CameraInbox) },
                loggers.CreateLogger<SimulatedCamera>()),
            "serial" => new SerialLineScanner(
                new SerialLineScannerOptions { PortName = hardware.SerialPort },
                logger: loggers.CreateLogger<SerialLineScanner>()),
            "tcp" => new TcpLineScanner(ParseTcpScanner(hardware.ScannerTcp), logger: loggers.CreateLogger<TcpLineScanner>()),
            "evdev" => new EvdevKeyboardScanner(
                new EvdevKeyboardScannerOptions { DevicePath = hardware.EvdevDevice, Layout = hardware.EvdevLayout },
                logger: loggers.CreateLogger<EvdevKeyboardScanner>()),
            "nfc" => CreateNfcReader(hardware, loggers),
            _ => throw new OptionsValidationException(
                "Agent:Hardware:Scanner",
                typeof(HardwareOptions),
                [$"Agent:Hardware:Scanner '{kind}' is invalid: use camera-inbox, serial, tcp, evdev or nfc, or several separated by commas."]),
        };
    }

    private static IScanner CreateNfcReader(HardwareOptions hardware, ILoggerFactory loggers) =>
        hardware.NfcReader switch
        {
            "mfrc522" => new Mfrc522NfcReader(
                new Mfrc522NfcReaderOptions { SpiBusId = hardware.NfcSpiBus, ChipSelectLine = hardware.NfcSpiChipSelect },
                logger: loggers.CreateLogger<Mfrc522NfcReader>()),
            _ => new Pn532NfcReader(
                new Pn532NfcReaderOptions { PortName = hardware.NfcPort },
                logger: loggers.CreateLogger<Pn532NfcReader>()),
        };

    private static GpioGate CreateGate(IServiceProvider provider, AgentOptions options)
    {
        HardwareOptions hardware = options.Hardware;
        GpioDriver driver = hardware.Mode switch
        {
            "gpio" => string.IsNullOrWhiteSpace(hardware.GpioChipLabel)
                ? GpioDriverFactory.Create(GpioChips.DetectLibrary(GpioChips.LibraryFolders), hardware.GpioChip)
                : GpioDriverFactory.Create(hardware.GpioChipLabel),
            "simulated" => new SimulatedGpioDriver(),
            _ => throw new OptionsValidationException(
                "Agent:Hardware:Mode",
                typeof(HardwareOptions),
                [$"Agent:Hardware:Mode '{hardware.Mode}' is invalid: use simulated or gpio."]),
        };

        var gateOptions = new GpioGateOptions
        {
            RelayPin = hardware.RelayPin,
            PassageSensorPin = hardware.PassageSensorPin,
            PassageDebounce = hardware.PassageDebounce,
            DoorContactPin = hardware.DoorContactPin,
            FireAlarmPin = hardware.FireAlarmPin,
        };
        var gate = new GpioGate(
            new GpioController(driver), gateOptions, logger: provider.GetRequiredService<ILogger<GpioGate>>());
        if (hardware.SimulatedPassage && driver is SimulatedGpioDriver simulated)
        {
            SimulatedPassage.Attach(simulated, gateOptions);
        }

        return gate;
    }

    private static IReceiptPrinter CreatePrinter(IServiceProvider provider, AgentOptions options)
    {
        HardwareOptions hardware = options.Hardware;
        if (string.IsNullOrWhiteSpace(hardware.PrinterHost))
        {
            return NoReceiptPrinter.Instance;
        }

        return EscPosPrinter.ForTcp(
            new EscPosPrinterOptions { Host = hardware.PrinterHost, Port = hardware.PrinterPort },
            provider.GetRequiredService<ILogger<EscPosPrinter>>());
    }

    /// <summary>Parses "host:port" of a TCP scanner; the error names the setting and the value.</summary>
    internal static TcpLineScannerOptions ParseTcpScanner(string value)
    {
        int colon = value.LastIndexOf(':');
        if (colon <= 0
            || !int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port)
            || port is < 1 or > 65535)
        {
            throw new OptionsValidationException(
                "Agent:Hardware:ScannerTcp",
                typeof(HardwareOptions),
                [$"Agent:Hardware:ScannerTcp '{value}' is invalid: use host:port with a port from 1 to 65535."]);
        }

        return new TcpLineScannerOptions { Host = value[..colon], Port = port };
    }

    private static string ResolveFolder(AgentOptions options, string folder) =>
        Path.IsPathRooted(folder) ? folder : Path.Combine(options.DataDirectory, folder);
}
