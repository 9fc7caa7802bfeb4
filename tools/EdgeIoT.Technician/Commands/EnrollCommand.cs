using System.CommandLine;
using System.Text.RegularExpressions;
using EdgeIoT.Firmware.Provisioning;
using EdgeIoT.Technician.Bundles;
using EdgeIoT.Technician.Hub;
using EdgeIoT.Technician.Progress;

namespace EdgeIoT.Technician.Commands;

/// <summary>
/// `enroll`: registers a controller at the hub (POST /api/devices) and writes its bundle with
/// identity, MQTT credentials, venue root key, broker address and Wi-Fi.
/// </summary>
public static partial class EnrollCommand
{
    /// <summary>Environment variable holding the Wi-Fi password, so it stays out of the shell history and process list.</summary>
    public const string WifiPasswordVariable = "EDGEIOT_WIFI_PASSWORD";

    private static readonly Option<string> HubOption = new("--hub")
    {
        Description = "Hub HTTP base URL, e.g. http://192.168.10.2:5080.",
        Required = true,
    };

    private static readonly Option<string> DeviceOption = new("--device-id")
    {
        Description = "Device id: 1 to 64 of A-Z a-z 0-9 - _ . (also the MQTT user name).",
        Required = true,
    };

    private static readonly Option<int> ZoneOption = new("--zone")
    {
        Description = "Zone of the gate, 0 (every zone) to 255.",
        DefaultValueFactory = _ => 0,
    };

    private static readonly Option<string?> BrokerHostOption = new("--broker-host")
    {
        Description = "Broker address the device connects to; default the host of --hub.",
    };

    private static readonly Option<int?> BrokerPortOption = new("--broker-port")
    {
        Description = "Broker TCP port the device connects to; default the port the hub reports.",
    };

    private static readonly Option<string> SsidOption = new("--wifi-ssid")
    {
        Description = "Wi-Fi network of the venue (1 to 32 characters).",
        Required = true,
    };

    private static readonly Option<FileInfo?> WifiPasswordFileOption = new("--wifi-password-file")
    {
        Description = $"File whose first line is the Wi-Fi password; default the {WifiPasswordVariable} environment variable.",
    };

    private static readonly Option<bool> OpenWifiOption = new("--open-wifi")
    {
        Description = "The Wi-Fi network has no password.",
    };

    private static readonly Option<FileInfo?> OutOption = new("--out")
    {
        Description = "Bundle file to write; default {device-id}.bundle.json in the current folder.",
    };

    private static readonly Option<bool> ForceOption = new("--force")
    {
        Description = "Replace an existing bundle file.",
    };

    public static Command Create()
    {
        var command = new Command("enroll", "Enroll a controller at the hub and write its configuration bundle (contains passwords; mode 600).")
        {
            HubOption, DeviceOption, ZoneOption, BrokerHostOption, BrokerPortOption, SsidOption, WifiPasswordFileOption,
            OpenWifiOption, OutOption, ForceOption,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(() => RunAsync(parseResult, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        string hubText = parseResult.GetRequiredValue(HubOption);
        Uri? hub = CommandRunner.ParseHubUrl(hubText);
        if (hub is null)
        {
            return await CommandRunner.InvalidAsync($"--hub '{hubText}' is not an absolute http:// or https:// URL; use e.g. http://192.168.10.2:5080.");
        }

        string deviceId = parseResult.GetRequiredValue(DeviceOption);
        if (!DeviceIdPattern().IsMatch(deviceId))
        {
            return await CommandRunner.InvalidAsync($"--device-id '{deviceId}' is invalid: use 1 to 64 letters, digits, '-', '_' or '.'.");
        }

        int zone = parseResult.GetValue(ZoneOption);
        if (zone is < 0 or > 255)
        {
            return await CommandRunner.InvalidAsync($"--zone {zone} is invalid: use 0 (every zone) to 255.");
        }

        int? brokerPort = parseResult.GetValue(BrokerPortOption);
        if (brokerPort is < 1 or > 65535)
        {
            return await CommandRunner.InvalidAsync($"--broker-port {brokerPort} is invalid: use 1 to 65535.");
        }

        string? wifiPassword = await ReadWifiPasswordAsync(parseResult, cancellationToken);
        if (wifiPassword is null)
        {
            return await CommandRunner.InvalidAsync(
                $"The Wi-Fi password is missing: set {WifiPasswordVariable}, pass --wifi-password-file, or pass --open-wifi for an open network.");
        }

        // WPA2-Personal limits, the same the device's bundle parser checks.
        string ssid = parseResult.GetRequiredValue(SsidOption);
        if (ssid.Length is < 1 or > 32)
        {
            return await CommandRunner.InvalidAsync($"--wifi-ssid '{ssid}' is invalid: use 1 to 32 characters.");
        }

        if (wifiPassword.Length is > 0 and < 8 or > 63)
        {
            return await CommandRunner.InvalidAsync(
                $"The Wi-Fi password has {wifiPassword.Length} characters: WPA2 needs 8 to 63, or pass --open-wifi for an open network.");
        }

        string path = parseResult.GetValue(OutOption)?.FullName ?? Path.GetFullPath(deviceId + ".bundle.json");
        bool force = parseResult.GetValue(ForceOption);
        if (File.Exists(path) && !force)
        {
            return await CommandRunner.InvalidAsync($"Bundle file {path} already exists; pass --force to replace it (enrolling again issues a new MQTT password).");
        }

        using var client = HubApiClient.Create(hub, TimeSpan.FromSeconds(15));
        IStepProgress progress = SpinnerStepProgress.ForConsole();
        EnrollmentResponse enrollment = await progress.RunAsync($"Enrolling {deviceId} at {hub}", report =>
        {
            report("POST /api/devices");
            return client.EnrollAsync(deviceId, (byte)zone, cancellationToken);
        });

        DeviceBundle bundle = BuildBundle(enrollment, hub, parseResult, brokerPort, (byte)zone, wifiPassword);
        BundleFile.Write(path, bundle, force);
        await Console.Out.WriteLineAsync($"Enrolled {bundle}.");
        await Console.Out.WriteLineAsync($"Bundle written to {path}; it holds the MQTT and Wi-Fi passwords, so keep it off shared folders.");
        return CommandRunner.Success;
    }

    private static DeviceBundle BuildBundle(
        EnrollmentResponse enrollment, Uri hub, ParseResult parseResult, int? brokerPort, byte zone, string wifiPassword) => new()
    {
        DeviceId = enrollment.DeviceId,
        Venue = enrollment.Venue,
        EventId = enrollment.EventId,
        Zone = zone,
        HubUrl = hub.ToString(),
        MqttHost = parseResult.GetValue(BrokerHostOption) ?? hub.Host,
        MqttPort = brokerPort ?? enrollment.MqttPort,
        MqttUsername = enrollment.MqttUsername,
        MqttPassword = enrollment.MqttPassword,
        RootPublicKey = Convert.FromBase64String(enrollment.RootPublicKey),
        RotatingCodeKey = enrollment.RotatingCodeKey is null ? null : Convert.FromBase64String(enrollment.RotatingCodeKey),
        WifiSsid = parseResult.GetRequiredValue(SsidOption),
        WifiPassword = wifiPassword,
    };

    private static async Task<string?> ReadWifiPasswordAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        if (parseResult.GetValue(OpenWifiOption))
        {
            return string.Empty;
        }

        if (parseResult.GetValue(WifiPasswordFileOption) is FileInfo file)
        {
            if (!file.Exists)
            {
                throw new TechnicianException($"--wifi-password-file {file.FullName} was not found.", CommandRunner.InvalidInput);
            }

            string[] lines = await File.ReadAllLinesAsync(file.FullName, cancellationToken);
            return lines.Length == 0 ? string.Empty : lines[0];
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(WifiPasswordVariable);
        return string.IsNullOrEmpty(fromEnvironment) ? null : fromEnvironment;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex DeviceIdPattern();
}
