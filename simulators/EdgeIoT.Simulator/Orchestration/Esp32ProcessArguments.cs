using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The command line of a virtual ESP32 program for one lane: identity and MQTT credentials
/// from enrollment, the lane's hub link (its fault proxy), its flash file and scan port, and
/// the settings the in-process ESP32 lane uses for a crowd on compressed time.
/// </summary>
public static class Esp32ProcessArguments
{
    /// <summary>The program's assembly name in the simulator's build output.</summary>
    public const string Program = "EdgeIoT.VirtualDevice";

    /// <summary>Status lines at this interval keep sequence, outbox and readiness fresh for the lane.</summary>
    private const int StatusIntervalMilliseconds = 50;

    public static IReadOnlyList<string> For(
        Enrollment enrollment, HubNode hub, int hubLinkPort, string flashFile, int scanPort, byte zone, TimeSpan clockOffset)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        ArgumentNullException.ThrowIfNull(hub);

        // NOTE: the MQTT password is on the command line, so other local users can read it in
        // the process list. That is acceptable only for a rehearsal on loopback.
        return
        [
            "--device-id", enrollment.DeviceId,
            "--zone", Text(zone),
            "--venue", hub.Venue,
            "--event-id", Text(hub.EventId),
            "--mqtt-host", "127.0.0.1",
            "--mqtt-port", Text(hubLinkPort),
            "--username", enrollment.MqttUsername,
            "--password", enrollment.MqttPassword,
            "--root-public-key", Convert.ToBase64String(hub.RootPublicKey),
            "--flash-file", flashFile,
            "--scan-port", Text(scanPort),
            "--status-interval-ms", Text(StatusIntervalMilliseconds),
            "--clock-skew-ms", Text((long)clockOffset.TotalMilliseconds),

            // The same settings as the in-process ESP32 lane: 1 MiB of queue flash, and a
            // relay pulse shortened from 300 ms because guests arrive tens of milliseconds apart.
            "--flash-sectors", "256",
            "--pulse-ms", "50",
            "--supervised",
        ];
    }

    /// <summary>
    /// Picks a free loopback port for the scan listener. The lane keeps it across restarts, as
    /// the scanner's cable stays plugged into the same controller.
    /// </summary>
    public static int FreeLoopbackPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
