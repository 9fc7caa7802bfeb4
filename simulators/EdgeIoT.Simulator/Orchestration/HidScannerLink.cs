using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// A keyboard-mode (HID) scanner wired to an agent lane: a simulated evdev device that types
/// each line with the scanner's own keyboard layout, read by the agent's real
/// <see cref="EvdevKeyboardScanner"/> with the layout the agent expects. When the two layouts
/// differ, the agent receives the garbled text that a real lane would get from a scanner set up
/// for another country.
/// </summary>
public sealed partial class HidScannerLink : IAsyncDisposable
{
    private readonly SimulatedHidScanner _device;

    public HidScannerLink(string name, string scannerLayout, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);

        _device = new SimulatedHidScanner(scannerLayout);
        Driver = new EvdevKeyboardScanner(
            new EvdevKeyboardScannerOptions { Name = name, DevicePath = _device.DevicePath, Layout = AgentLayout },
            _device.Opener,
            logger: loggers.CreateLogger<EvdevKeyboardScanner>());
        if (!string.Equals(_device.Layout.Name, AgentLayout, StringComparison.OrdinalIgnoreCase))
        {
            LogLayoutMismatch(loggers.CreateLogger<HidScannerLink>(), name, _device.Layout.Name, AgentLayout);
        }
    }

    /// <summary>
    /// Layout the agent decodes key events with: the default of its <c>Hardware:EvdevLayout</c>
    /// setting, as on a lane with that setting left unchanged.
    /// </summary>
    public static string AgentLayout { get; } = new HardwareOptions().EvdevLayout;

    /// <summary>The agent's driver, which the lane's host takes as its scanner.</summary>
    public IScanner Driver { get; }

    /// <summary>
    /// Removes the device, as when the agent's board loses power and with it the USB scanner.
    /// The driver sees the device go away and reopens it after <see cref="Plug"/>.
    /// </summary>
    public void Unplug() => _device.Unplug();

    /// <summary>Creates the device again after <see cref="Unplug"/>; the driver reopens it.</summary>
    public void Plug() => _device.Plug();

    /// <summary>Types <paramref name="line"/> and Enter, as the scanner does after a decode.</summary>
    public Task TypeLineAsync(string line, CancellationToken cancellationToken) =>
        _device.TypeLineAsync(line, cancellationToken);

    public ValueTask DisposeAsync()
    {
        _device.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "HID scanner {Scanner} types with layout {ScannerLayout} but the agent decodes {AgentLayout}; "
            + "its scans will be denied as scanner_misconfigured")]
    private static partial void LogLayoutMismatch(ILogger logger, string scanner, string scannerLayout, string agentLayout);
}
