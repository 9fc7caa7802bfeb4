using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Scenarios;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// What a process-hosted ESP32 lane needs to start its device again and again on the same
/// files: the enrollment's command line, the hub link it connects through, the scan port and
/// the log file that collects every boot's output.
/// </summary>
public sealed class LaneStartup
{
    private readonly IReadOnlyList<string> _arguments;

    private LaneStartup(LaneSpec spec, FaultProxy hubLink, SimulatedClock venueClock, int scanPort, string logFile, IReadOnlyList<string> arguments)
    {
        Spec = spec;
        HubLink = hubLink;
        VenueClock = venueClock;
        ScanPort = scanPort;
        LogFile = logFile;
        _arguments = arguments;
    }

    public LaneSpec Spec { get; }

    public FaultProxy HubLink { get; }

    public SimulatedClock VenueClock { get; }

    public int ScanPort { get; }

    /// <summary>The device program's console output, appended across restarts.</summary>
    public string LogFile { get; }

    /// <summary>Enrolls the lane with the hub and opens its hub link through a fault proxy.</summary>
    public static async Task<LaneStartup> EnrollAsync(
        LaneSpec spec,
        HubNode hub,
        string dataDirectory,
        SimulatedClock venueClock,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(venueClock);
        ArgumentNullException.ThrowIfNull(loggers);

        Directory.CreateDirectory(dataDirectory);
        Enrollment enrollment = await hub.Client.EnrollAsync(spec.Id, "firmware", spec.Zone, cancellationToken);
        var hubLink = new FaultProxy($"{spec.Id}-hub", hub.MqttEndpoint, loggers.CreateLogger<FaultProxy>());
        int scanPort = Esp32ProcessArguments.FreeLoopbackPort();
        IReadOnlyList<string> arguments = Esp32ProcessArguments.For(
            enrollment, hub, hubLink.Port, Path.Combine(dataDirectory, spec.Id + ".flash"), scanPort, spec.Zone,
            venueClock.Offset);
        return new LaneStartup(spec, hubLink, venueClock, scanPort, Path.Combine(dataDirectory, "device.log"), arguments);
    }

    public DeviceProcess StartProcess(ILogger logger) =>
        DeviceProcess.Start(Esp32ProcessArguments.Program, _arguments, LogFile, logger);
}
