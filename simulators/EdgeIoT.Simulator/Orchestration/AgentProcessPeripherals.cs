using System.Globalization;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Scenarios;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The devices around an edge agent in its own process, which outlive its power cuts: a
/// camera inbox folder the agent's camera driver reads PNG frames from, or a serial scanner
/// module behind a TCP serial server the agent's <c>tcp</c> scanner driver connects to, and
/// an ESC/POS printer reached through a fault proxy.
/// </summary>
public sealed class AgentProcessPeripherals : IAsyncDisposable
{
    private readonly string _cameraInbox;
    private readonly TcpScannerSimulator? _scannerPort;
    private readonly SerialScannerModule? _module;
    private readonly EscPosPrinterSimulator _printer;
    private long _frames;

    private AgentProcessPeripherals(
        string cameraInbox, TcpScannerSimulator? scannerPort, SerialScannerModule? module, EscPosPrinterSimulator printer,
        FaultProxy printerLink)
    {
        _cameraInbox = cameraInbox;
        _scannerPort = scannerPort;
        _module = module;
        _printer = printer;
        PrinterLink = printerLink;
    }

    public FaultProxy PrinterLink { get; }

    public bool PaperOut
    {
        set => _printer.PaperOut = value;
    }

    /// <summary>
    /// Creates the lane's devices. <paramref name="onUnreadable"/> runs when the serial
    /// module's imager cannot read a frame; for a camera lane the agent's log reports that.
    /// </summary>
    public static AgentProcessPeripherals Create(
        LaneSpec spec, string dataDirectory, ScenarioOptions scenario, Action onUnreadable, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(loggers);

        var printer = new EscPosPrinterSimulator(loggers.CreateLogger<EscPosPrinterSimulator>());
        var printerLink = new FaultProxy(
            $"{spec.Id}-printer", new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, printer.Port),
            loggers.CreateLogger<FaultProxy>());
        string inbox = Path.Combine(dataDirectory, "camera-inbox");
        if (spec.Scanner == ScannerKind.Camera)
        {
            Directory.CreateDirectory(inbox);
            return new AgentProcessPeripherals(inbox, null, null, printer, printerLink);
        }

        var port = new TcpScannerSimulator();
        var module = new SerialScannerModule(
            $"{spec.Id}-scanner", scenario.BlurShare, LaneSeeds.For(scenario.Seed, spec.Id), port.SendLineAsync, onUnreadable,
            loggers);
        return new AgentProcessPeripherals(inbox, port, module, printer, printerLink);
    }

    /// <summary>Where the agent's settings point its scanner, printer and metrics endpoint.</summary>
    public AgentProcessArguments.Peripherals Settings(ScannerKind scanner, int metricsPort) =>
        new(scanner, _cameraInbox, _scannerPort?.Port ?? 0, PrinterLink.Port, metricsPort);

    /// <summary>
    /// Shows a QR image to the lane's scanner. A camera frame is written under a temporary name
    /// and renamed, so the agent never reads half a file.
    /// </summary>
    /// <remarks>
    /// NOTE: the agent's camera driver reads each frame as written, so the scenario's blur share
    /// applies to serial scanner modules only on a lane in its own process.
    /// </remarks>
    public async Task PresentAsync(byte[] png, ScanHabits habits, CancellationToken cancellationToken)
    {
        if (_module is not null)
        {
            await _module.PresentAsync(png, habits);
            return;
        }

        string name = "frame-" + Interlocked.Increment(ref _frames).ToString("D8", CultureInfo.InvariantCulture);
        string partial = Path.Combine(_cameraInbox, name + ".part");
        await File.WriteAllBytesAsync(partial, png, cancellationToken);
        File.Move(partial, Path.Combine(_cameraInbox, name + ".png"));
    }

    /// <summary>Completes when the serial module has sent every line of the last presentation.</summary>
    public Task LinesSentAsync(CancellationToken cancellationToken) =>
        _module?.LinesSentAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// Forgets the agent's scanner connection at a power cut, so the next line waits for the
    /// restarted agent instead of going into the dead socket.
    /// </summary>
    public Task DisconnectScannerAsync() => _scannerPort?.DropConnectionAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_module is not null)
        {
            await _module.DisposeAsync();
        }

        if (_scannerPort is not null)
        {
            await _scannerPort.DisposeAsync();
        }

        await _printer.DisposeAsync();
        await PrinterLink.DisposeAsync();
    }
}
