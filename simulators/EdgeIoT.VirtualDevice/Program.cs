using System.CommandLine;
using EdgeIoT.VirtualDevice;
using Microsoft.Extensions.Logging;

var endpointsOption = new Option<FileInfo?>("--hub-endpoints")
{
    Description = "The hub's hub.endpoints.json; supplies venue, event id, MQTT port, root key and enroll URL.",
};
var enrollOption = new Option<string?>("--enroll-url")
{
    Description = "Hub HTTP base URL to enroll at (POST /api/devices); defaults to httpUrl of --hub-endpoints when no --username is given.",
};
var deviceOption = new Option<string>("--device-id") { Description = "Device id and MQTT client id.", Required = true };
var zoneOption = new Option<byte>("--zone") { Description = "Zone of the gate; 0 accepts every zone.", DefaultValueFactory = _ => 0 };
var venueOption = new Option<string?>("--venue") { Description = "Venue id in the MQTT topics." };
var eventOption = new Option<uint?>("--event-id") { Description = "Event id the tokens must carry." };
var hostOption = new Option<string>("--mqtt-host") { Description = "Broker address (loopback).", DefaultValueFactory = _ => "127.0.0.1" };
var portOption = new Option<int?>("--mqtt-port") { Description = "Broker TCP port." };
var tlsCaOption = new Option<FileInfo>("--mqtt-tls-ca")
{
    Description = "PEM certificate the broker's TLS certificate must chain to; connects with TLS, to mqttTlsPort of --hub-endpoints unless --mqtt-port is given.",
};
tlsCaOption.AcceptExistingOnly();
var userOption = new Option<string?>("--username") { Description = "MQTT user name, when not enrolling." };
var passwordOption = new Option<string?>("--password") { Description = "MQTT password, when not enrolling." };
var rootKeyOption = new Option<string?>("--root-public-key") { Description = "Venue root public key, raw 32 bytes in base64." };
var flashOption = new Option<FileInfo?>("--flash-file") { Description = "Flash image file of the event queue; default {device-id}.flash." };
var skewOption = new Option<int>("--clock-skew-ms") { Description = "Offset of the device wall clock in milliseconds.", DefaultValueFactory = _ => 0 };
var scanPortOption = new Option<int>("--scan-port") { Description = "TCP port on 127.0.0.1 for scanner lines; 0 lets the OS choose.", DefaultValueFactory = _ => 0 };
var inboxOption = new Option<DirectoryInfo?>("--inbox") { Description = "Folder whose *.txt files are read as scanner lines and then deleted." };

var root = new RootCommand("Virtual ESP32 turnstile controller running the EdgeIoT firmware core.")
{
    endpointsOption, enrollOption, deviceOption, zoneOption, venueOption, eventOption, hostOption, portOption,
    tlsCaOption, userOption, passwordOption, rootKeyOption, flashOption, skewOption, scanPortOption, inboxOption,
};

root.SetAction(async (parseResult, cancellationToken) =>
{
    using ILoggerFactory loggers = LoggerFactory.Create(builder => builder.AddSimpleConsole(o => o.SingleLine = true));
    ILogger logger = loggers.CreateLogger("EdgeIoT.VirtualDevice");
    string deviceId = parseResult.GetRequiredValue(deviceOption);
    byte zone = parseResult.GetValue(zoneOption);

    HubEnrollment.EndpointsFile? endpoints = parseResult.GetValue(endpointsOption) is FileInfo file
        ? await HubEnrollment.ReadEndpointsAsync(file.FullName, cancellationToken)
        : null;
    string? username = parseResult.GetValue(userOption);
    string? password = parseResult.GetValue(passwordOption);

    // System.CommandLine has no Uri parser, so the URL is checked here with a clear message.
    string? enrollText = parseResult.GetValue(enrollOption);
    Uri? explicitEnrollUrl = null;
    if (enrollText is not null && !Uri.TryCreate(enrollText, UriKind.Absolute, out explicitEnrollUrl))
    {
        await Console.Error.WriteLineAsync(
            $"--enroll-url '{enrollText}' is not an absolute URL; use the hub's HTTP address, e.g. http://127.0.0.1:5080.");
        return 2;
    }

    Uri? enrollUrl = explicitEnrollUrl
        ?? (username is null && endpoints is not null ? new Uri(endpoints.HttpUrl) : null);
    HubEnrollment.Credentials? credentials = enrollUrl is null
        ? null
        : await HubEnrollment.EnrollAsync(enrollUrl, deviceId, zone, cancellationToken);

    string? venue = parseResult.GetValue(venueOption) ?? credentials?.Venue ?? endpoints?.Venue;
    string? rootKey = parseResult.GetValue(rootKeyOption) ?? credentials?.RootPublicKey ?? endpoints?.RootPublicKey;
    if (venue is null || rootKey is null)
    {
        await Console.Error.WriteLineAsync("Missing venue or root public key: pass --hub-endpoints, --enroll-url, or --venue and --root-public-key.");
        return 2;
    }

    FileInfo? tlsCa = parseResult.GetValue(tlsCaOption);
    var options = new VirtualEsp32Options
    {
        DeviceId = deviceId,
        Venue = venue,
        EventId = parseResult.GetValue(eventOption) ?? credentials?.EventId ?? endpoints?.EventId ?? 0,
        Zone = zone,
        MqttHost = parseResult.GetValue(hostOption)!,
        MqttPort = parseResult.GetValue(portOption)
            ?? (tlsCa is not null ? endpoints?.MqttTlsPort : null)
            ?? credentials?.MqttPort ?? endpoints?.MqttPort ?? 1883,
        MqttTlsCaFile = tlsCa?.FullName,
        Username = credentials?.MqttUsername ?? username,
        Password = credentials?.MqttPassword ?? password,
        RootPublicKey = Convert.FromBase64String(rootKey),
        FlashFile = parseResult.GetValue(flashOption)?.FullName ?? Path.GetFullPath(deviceId + ".flash"),
        ClockSkew = TimeSpan.FromMilliseconds(parseResult.GetValue(skewOption)),
    };

    await using VirtualEsp32 device = await VirtualEsp32.StartAsync(options, loggers, cancellationToken);
    await using var scanner = new ScanLineListener(
        parseResult.GetValue(scanPortOption), parseResult.GetValue(inboxOption)?.FullName, device.SubmitScanLine, logger);
    scanner.Start();
    try
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
    catch (OperationCanceledException)
    {
        logger.LogInformation("Device {DeviceId} stopping with {QueueDepth} queued events", deviceId, device.QueueDepth);
    }

    return 0;
});

return await root.Parse(args).InvokeAsync();
