using System.CommandLine;

namespace EdgeIoT.VirtualDevice;

/// <summary>The options of the virtual device executable.</summary>
internal static class CommandLineOptions
{
    public static readonly Option<FileInfo?> Bundle = new("--bundle")
    {
        Description = "Device configuration bundle written by the technician CLI (edgeiot-technician enroll); replaces the hub and identity options.",
    };

    public static readonly Option<FileInfo?> HubEndpoints = new("--hub-endpoints")
    {
        Description = "The hub's hub.endpoints.json; supplies venue, event id, MQTT port, root key and enroll URL.",
    };

    public static readonly Option<string?> EnrollUrl = new("--enroll-url")
    {
        Description = "Hub HTTP base URL to enroll at (POST /api/devices); defaults to httpUrl of --hub-endpoints when no --username is given.",
    };

    public static readonly Option<string?> DeviceId = new("--device-id") { Description = "Device id and MQTT client id; required without --bundle." };

    public static readonly Option<byte> Zone = new("--zone") { Description = "Zone of the gate; 0 accepts every zone.", DefaultValueFactory = _ => 0 };

    public static readonly Option<string?> Venue = new("--venue") { Description = "Venue id in the MQTT topics." };

    public static readonly Option<uint?> EventId = new("--event-id") { Description = "Event id the tokens must carry." };

    public static readonly Option<string> MqttHost = new("--mqtt-host") { Description = "Broker address (loopback).", DefaultValueFactory = _ => "127.0.0.1" };

    public static readonly Option<int?> MqttPort = new("--mqtt-port") { Description = "Broker TCP port." };

    public static readonly Option<FileInfo> MqttTlsCa = new Option<FileInfo>("--mqtt-tls-ca")
    {
        Description = "PEM certificate the broker's TLS certificate must chain to; connects with TLS, to mqttTlsPort of --hub-endpoints unless --mqtt-port is given.",
    }.AcceptExistingOnly();

    public static readonly Option<string?> Username = new("--username") { Description = "MQTT user name, when not enrolling." };

    public static readonly Option<string?> Password = new("--password") { Description = "MQTT password, when not enrolling." };

    public static readonly Option<string?> RootPublicKey = new("--root-public-key") { Description = "Venue root public key, raw 32 bytes in base64." };

    public static readonly Option<FileInfo?> FlashFile = new("--flash-file") { Description = "Flash image file of the event queue; default {device-id}.flash." };

    public static readonly Option<int> ClockSkew = new("--clock-skew-ms") { Description = "Offset of the device wall clock in milliseconds.", DefaultValueFactory = _ => 0 };

    public static readonly Option<int> ScanPort = new("--scan-port") { Description = "TCP port on 127.0.0.1 for scanner lines; 0 lets the OS choose.", DefaultValueFactory = _ => 0 };

    public static readonly Option<DirectoryInfo?> Inbox = new("--inbox") { Description = "Folder whose *.txt files are read as scanner lines and then deleted." };

    public static readonly Option<int> StatusInterval = new("--status-interval-ms")
    {
        Description = "Milliseconds between status lines written to each --scan-port connection, 20 to 60000; 0 writes none.",
        DefaultValueFactory = _ => 0,
    };

    public static readonly Option<int> PulseMilliseconds = new("--pulse-ms")
    {
        Description = "Relay pulse in milliseconds, 10 to 5000; shorter than a real turnstile's 300 ms for crowds on compressed time.",
        DefaultValueFactory = _ => 300,
    };

    public static readonly Option<int> FlashSectors = new("--flash-sectors")
    {
        Description = "4 KiB sectors of the event queue's flash partition, 8 to 1024; 64 holds roughly 500 events.",
        DefaultValueFactory = _ => 64,
    };

    public static readonly Option<bool> Supervised = new("--supervised")
    {
        Description = "Stop when standard input closes, so the device ends with the process that started it.",
    };

    public static readonly Option<int> OutboxWindow = new("--outbox-window")
    {
        Description = "QoS 1 event publishes in flight at once while the queue drains, 1 to 64.",
        DefaultValueFactory = _ => 8,
    };
}
