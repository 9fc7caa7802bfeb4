using System.Diagnostics;
using System.Net.Sockets;
using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.Hardware;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeIoT.EdgeAgent.Diagnostics;

/// <summary>
/// Checks what a lane needs before it can admit guests: GPIO chip, serial scanner, printer,
/// hub (TCP and MQTT login) and clock offset. Each check yields one line with OK or FAIL and
/// what to fix.
/// </summary>
public sealed class Doctor
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan BeaconTimeout = TimeSpan.FromSeconds(8);

    private readonly AgentOptions _options;
    private readonly IReceiptPrinter? _printer;

    /// <param name="printer">Printer to query, or null when the lane has none configured.</param>
    public Doctor(AgentOptions options, IReceiptPrinter? printer)
    {
        ArgumentNullException.ThrowIfNull(options);

        _options = options;
        _printer = printer;
    }

    /// <summary>Runs every check in order and returns the results.</summary>
    public async Task<IReadOnlyList<DoctorCheck>> RunAsync(CancellationToken cancellationToken)
    {
        var checks = new List<DoctorCheck>
        {
            CheckGpioChip(),
            CheckSerialScanner(),
            CheckEvdevScanner(),
            CheckNfcReader(),
            await CheckPrinterAsync(cancellationToken),
            await CheckHubTcpAsync(cancellationToken),
        };
        checks.AddRange(await CheckMqttAndClockAsync(cancellationToken));
        return checks;
    }

    private DoctorCheck CheckGpioChip()
    {
        if (_options.Hardware.Mode != "gpio")
        {
            return DoctorCheck.Ok("gpio", $"mode {_options.Hardware.Mode}, no GPIO chip needed");
        }

        if (!string.IsNullOrWhiteSpace(_options.Hardware.GpioChipLabel))
        {
            return CheckGpioChipByLabel(_options.Hardware.GpioChipLabel);
        }

        string path = $"/dev/gpiochip{_options.Hardware.GpioChip}";
        return File.Exists(path)
            ? DoctorCheck.Ok("gpio", $"{path} present")
            : DoctorCheck.Fail(
                "gpio", $"{path} not found", "set Agent:Hardware:GpioChip to a chip listed by 'ls /dev/gpiochip*'");
    }

    private static DoctorCheck CheckGpioChipByLabel(string label)
    {
        LibGpiodLibrary library = GpioChips.DetectLibrary(GpioChips.LibraryFolders);
        if (library == LibGpiodLibrary.None)
        {
            return DoctorCheck.Fail("gpio", "libgpiod not installed", "apt install libgpiod3 (trixie) or libgpiod2 (bookworm)");
        }

        try
        {
            GpioChipInfo chip = GpioChips.FindByLabel(GpioChips.List(), label);
            return DoctorCheck.Ok("gpio", $"{chip.DevicePath} '{chip.Label}' ({chip.LineCount} lines), libgpiod {library}");
        }
        catch (InvalidOperationException exception)
        {
            return DoctorCheck.Fail("gpio", exception.Message, "set Agent:Hardware:GpioChipLabel to a label 'gpiodetect' lists");
        }
    }

    private DoctorCheck CheckSerialScanner()
    {
        if (!_options.Hardware.UsesScanner("serial"))
        {
            return DoctorCheck.Ok("scanner", $"scanner {_options.Hardware.Scanner}, no serial device needed");
        }

        string port = _options.Hardware.SerialPort;
        return File.Exists(port)
            ? DoctorCheck.Ok("scanner", $"{port} present")
            : DoctorCheck.Fail(
                "scanner", $"{port} not found", "plug in the scanner or set Agent:Hardware:SerialPort");
    }

    private DoctorCheck CheckEvdevScanner()
    {
        if (!_options.Hardware.UsesScanner("evdev"))
        {
            return DoctorCheck.Ok("hid-scanner", $"scanner {_options.Hardware.Scanner}, no input device needed");
        }

        string device = _options.Hardware.EvdevDevice;
        if (!File.Exists(device))
        {
            return DoctorCheck.Fail(
                "hid-scanner", $"{device} not found",
                "plug in the scanner or set Agent:Hardware:EvdevDevice to its /dev/input/by-id/…-event-kbd link");
        }

        try
        {
            using Stream stream = LinuxInputDeviceOpener.Instance.Open(device, exclusiveGrab: true);
            return DoctorCheck.Ok("hid-scanner", $"{device} opened with an exclusive grab");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return DoctorCheck.Fail(
                "hid-scanner", $"{device}: {exception.Message}",
                "add the agent's user to the input group, and stop the running agent, which holds the grab");
        }
    }

    private DoctorCheck CheckNfcReader()
    {
        if (!_options.Hardware.UsesScanner("nfc"))
        {
            return DoctorCheck.Ok("nfc", $"scanner {_options.Hardware.Scanner}, no NFC reader needed");
        }

        if (_options.Hardware.NfcReader == "mfrc522")
        {
            return CheckMfrc522Reader();
        }

        string port = _options.Hardware.NfcPort;
        if (!File.Exists(port))
        {
            return DoctorCheck.Fail("nfc", $"{port} not found", "plug in the PN532 reader or set Agent:Hardware:NfcPort");
        }

        try
        {
            using var reader = new Iot.Device.Pn532.Pn532(port);
            return DoctorCheck.Ok("nfc", $"PN532 on {port} answered, firmware {reader.FirmwareVersion?.Version}");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return DoctorCheck.Fail(
                "nfc", $"no PN532 answered on {port}: {exception.Message}",
                "set the reader's interface switches to HSU (UART) and check its wiring and power");
        }
    }

    private DoctorCheck CheckMfrc522Reader()
    {
        HardwareOptions hardware = _options.Hardware;
        string device = hardware.NfcSpiDevice;
        if (!File.Exists(device))
        {
            return DoctorCheck.Fail(
                "nfc", $"{device} not found",
                "enable SPI (dtparam=spi=on on a Raspberry Pi) or set Agent:Hardware:NfcSpiBus and NfcSpiChipSelect");
        }

        try
        {
            var settings = new System.Device.Spi.SpiConnectionSettings(hardware.NfcSpiBus, hardware.NfcSpiChipSelect)
            {
                ClockFrequency = 1_000_000,
                Mode = Iot.Device.Mfrc522.MfRc522.DefaultSpiMode,
            };
            using var reader = new Iot.Device.Mfrc522.MfRc522(System.Device.Spi.SpiDevice.Create(settings));
            Version version = reader.Version;
            return version.Major == 0
                ? DoctorCheck.Fail(
                    "nfc", $"no known MFRC522 version read on {device}",
                    "check the module's wiring and 3.3 V power; a clone that reports another version may still read tags")
                : DoctorCheck.Ok("nfc", $"MFRC522 version {version} on {device} answered");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return DoctorCheck.Fail(
                "nfc", $"the MFRC522 on {device} could not be opened: {exception.Message}",
                "add the agent's user to the spi group and check the module's wiring");
        }
    }

    private async Task<DoctorCheck> CheckPrinterAsync(CancellationToken cancellationToken)
    {
        string? host = _options.Hardware.PrinterHost;
        if (string.IsNullOrWhiteSpace(host) || _printer is null)
        {
            return DoctorCheck.Ok("printer", "no printer configured (Agent:Hardware:PrinterHost)");
        }

        string where = $"{host}:{_options.Hardware.PrinterPort}";
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ConnectTimeout);
            PrinterStatus status = await _printer.GetStatusAsync(timeout.Token);
            return status switch
            {
                { Online: false } => DoctorCheck.Fail("printer", $"{where} unreachable or offline", "power it on and check the network"),
                { PaperOut: true } => DoctorCheck.Fail("printer", $"{where} is out of paper", "load a paper roll"),
                { CoverOpen: true } => DoctorCheck.Fail("printer", $"{where} cover is open", "close the cover"),
                { PaperNearEnd: true } => DoctorCheck.Ok("printer", $"{where} ready, paper near end"),
                _ => DoctorCheck.Ok("printer", $"{where} ready (DLE EOT status)"),
            };
        }
        catch (Exception exception) when (exception is IOException or SocketException
            or OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            return DoctorCheck.Fail("printer", $"{where}: {exception.Message}", "check Agent:Hardware:PrinterHost and PrinterPort");
        }
    }

    private async Task<DoctorCheck> CheckHubTcpAsync(CancellationToken cancellationToken)
    {
        string where = $"{_options.Mqtt.Host}:{_options.Mqtt.Port}";
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await client.ConnectAsync(_options.Mqtt.Host, _options.Mqtt.Port, timeout.Token);
            return DoctorCheck.Ok("hub-tcp", $"{where} accepts connections");
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return DoctorCheck.Fail(
                "hub-tcp", $"{where}: {exception.Message}", "start the hub or fix Agent:Mqtt:Host and Agent:Mqtt:Port");
        }
    }

    private async Task<IReadOnlyList<DoctorCheck>> CheckMqttAndClockAsync(CancellationToken cancellationToken)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        var beacon = new TaskCompletionSource<TimeBeacon>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += args =>
        {
            try
            {
                beacon.TrySetResult(ProtocolJson.Deserialize<TimeBeacon>(args.ApplicationMessage.Payload.FirstSpan));
            }
            catch (System.Text.Json.JsonException exception)
            {
                beacon.TrySetException(exception);
            }

            return Task.CompletedTask;
        };

        DoctorCheck login = await TryLoginAsync(client, cancellationToken);
        if (!login.Passed)
        {
            return [login, DoctorCheck.Fail("clock", "no hub connection to read the time beacon from", "fix the hub login first")];
        }

        return [login, await CheckClockAsync(client, beacon, cancellationToken)];
    }

    private async Task<DoctorCheck> TryLoginAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        // A separate client id, so the check does not take over the running agent's session.
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Mqtt.Host, _options.Mqtt.Port)
            .WithClientId(_options.DeviceId + "-doctor")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithTimeout(ConnectTimeout);
        if (!string.IsNullOrEmpty(_options.Mqtt.Username))
        {
            builder = builder.WithCredentials(_options.Mqtt.Username, _options.Mqtt.Password ?? string.Empty);
        }

        try
        {
            MqttClientConnectResult result = await client.ConnectAsync(builder.Build(), cancellationToken);
            return result.ResultCode == MqttClientConnectResultCode.Success
                ? DoctorCheck.Ok("hub-mqtt", $"logged in as {_options.Mqtt.Username ?? "(anonymous)"}")
                : DoctorCheck.Fail("hub-mqtt", $"login refused: {result.ResultCode}", LoginFix());
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
            or OperationCanceledException or MQTTnet.Adapter.MqttConnectingFailedException)
        {
            return DoctorCheck.Fail("hub-mqtt", exception.Message, LoginFix());
        }
    }

    // The doctor never enrolls, so a device without stored credentials must be enrolled by a first 'run'.
    private string LoginFix() => string.IsNullOrEmpty(_options.Mqtt.Username)
        ? $"no credentials in {Path.Combine(_options.DataDirectory, AgentOptionsResolver.CredentialsFileName)}: start the agent once "
            + $"with Agent:EnrollUrl and {AgentOptionsResolver.OperatorTokenVariable} so it enrolls, or point Agent:DataDirectory "
            + "at the running agent's data directory"
        : "re-enroll or fix Agent:Mqtt:Username and Password";

    private async Task<DoctorCheck> CheckClockAsync(
        IMqttClient client, TaskCompletionSource<TimeBeacon> beacon, CancellationToken cancellationToken)
    {
        await client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder().WithTopicFilter(Topics.Time(_options.Venue)).Build(), cancellationToken);
        try
        {
            TimeBeacon received = await beacon.Task.WaitAsync(BeaconTimeout, cancellationToken);
            long offsetMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - received.HubTimeMs;
            return Math.Abs(offsetMs) <= _options.MaxClockOffset.TotalMilliseconds
                ? DoctorCheck.Ok("clock", $"offset from the hub {offsetMs} ms")
                : DoctorCheck.Fail(
                    "clock",
                    $"offset from the hub {offsetMs} ms exceeds {_options.MaxClockOffset.TotalMilliseconds} ms",
                    "enable NTP (timedatectl set-ntp true) or fix the hub's clock");
        }
        catch (TimeoutException)
        {
            return DoctorCheck.Fail(
                "clock", $"no time beacon on {Topics.Time(_options.Venue)} within {BeaconTimeout.TotalSeconds} s",
                "check that Agent:Venue matches the hub's venue");
        }
        catch (System.Text.Json.JsonException exception)
        {
            return DoctorCheck.Fail("clock", $"invalid time beacon: {exception.Message}", "update the hub");
        }
    }

    /// <summary>Formats one result line, e.g. "FAIL printer: 10.0.0.5:9100 is out of paper. Fix: load a paper roll".</summary>
    public static string Format(DoctorCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);

        Debug.Assert(check.Passed || check.Fix is not null, "A failed check names a fix.");
        return check.Passed
            ? $"OK   {check.Name}: {check.Detail}"
            : $"FAIL {check.Name}: {check.Detail.TrimEnd('.')}. Fix: {check.Fix}";
    }
}
