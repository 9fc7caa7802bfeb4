using System.Globalization;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The command line and environment of an edge agent program for one lane. They carry the
/// identity and MQTT credentials from enrollment, the lane's hub link (its fault proxy), its
/// data folder, scanner and printer. They also turn on the loopback metrics endpoint the lane
/// reads its state from, and the JSON console log it reads each decision from.
/// </summary>
public static class AgentProcessArguments
{
    /// <summary>
    /// The agent's passage debounce. The simulated light barrier does not bounce, and the crowd
    /// runs on compressed time, so a short debounce lets the lane take guests at the pace of
    /// the in-process lanes instead of one per 550 ms.
    /// </summary>
    public static readonly TimeSpan PassageDebounce = TimeSpan.FromMilliseconds(30);

    /// <summary>The program's assembly name in the simulator's build output.</summary>
    public const string Program = "EdgeIoT.EdgeAgent";

    // The same as the in-process agent lane. The agent's simulated guest crosses well within it,
    // so an admit is annulled only when the crossing fails.
    private static readonly TimeSpan PassageTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Where the lane's peripherals and its metrics endpoint are.</summary>
    public sealed record Peripherals(ScannerKind Scanner, string CameraInbox, int ScannerPort, int PrinterPort, int MetricsPort);

    public static IReadOnlyList<string> For(
        Enrollment enrollment, HubNode hub, LaneSpec spec, int hubLinkPort, string dataDirectory, Peripherals peripherals,
        TimeSpan? onlineCheckTimeout)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(peripherals);

        // NOTE: the MQTT password is on the command line, so other local users can read it in
        // the process list. That is acceptable only for a rehearsal on loopback.
        var arguments = new List<string>
        {
            "run",
            Setting("DeviceId", spec.Id),
            Setting("Zone", Text(spec.Zone)),
            Setting("Venue", hub.Venue),
            Setting("EventId", Text(hub.EventId)),
            Setting("RootPublicKey", enrollment.RootPublicKey),
            Setting("DataDirectory", dataDirectory),
            Setting("PassageTimeout", PassageTimeout.ToString("c", CultureInfo.InvariantCulture)),
            Setting("Mqtt:Host", "127.0.0.1"),
            Setting("Mqtt:Port", Text(hubLinkPort)),
            Setting("Mqtt:Username", enrollment.MqttUsername),
            Setting("Mqtt:Password", enrollment.MqttPassword),
            Setting("Hardware:Mode", "simulated"),
            Setting("Hardware:SimulatedPassage", "true"),
            Setting("Hardware:PassageDebounce", PassageDebounce.ToString("c", CultureInfo.InvariantCulture)),
            Setting("Hardware:PrinterHost", "127.0.0.1"),
            Setting("Hardware:PrinterPort", Text(peripherals.PrinterPort)),
            Setting("Metrics:Enabled", "true"),
            Setting("Metrics:Port", Text(peripherals.MetricsPort)),
        };
        if (onlineCheckTimeout is { } timeout)
        {
            arguments.Add(Setting("OnlineCheckTimeout", timeout.ToString("c", CultureInfo.InvariantCulture)));
        }

        if (peripherals.Scanner == ScannerKind.Camera)
        {
            arguments.Add(Setting("Hardware:Scanner", "camera-inbox"));
            arguments.Add(Setting("Hardware:CameraInbox", peripherals.CameraInbox));
        }
        else
        {
            arguments.Add(Setting("Hardware:Scanner", "tcp"));
            arguments.Add(Setting("Hardware:ScannerTcp", "127.0.0.1:" + Text(peripherals.ScannerPort)));
        }

        return arguments;
    }

    /// <summary>
    /// Logging settings through the agent's EDGEIOT_ environment variables: one JSON object per
    /// console line, decisions at Information, and the camera's unreadable frames at Debug.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment() => new Dictionary<string, string>
    {
        ["EDGEIOT_Logging__Console__FormatterName"] = "json",
        ["EDGEIOT_Logging__Console__FormatterOptions__JsonWriterOptions__Indented"] = "false",
        ["EDGEIOT_Logging__LogLevel__EdgeIoT.EdgeAgent.Decisions"] = "Information",
        ["EDGEIOT_Logging__LogLevel__EdgeIoT.Hardware.Simulated.SimulatedCamera"] = "Debug",
    };

    private static string Setting(string key, string value) => $"--Agent:{key}={value}";

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
