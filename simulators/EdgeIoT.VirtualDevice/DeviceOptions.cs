using System.CommandLine;
using EdgeIoT.Firmware.Provisioning;

namespace EdgeIoT.VirtualDevice;

/// <summary>Builds the device's options from a technician bundle or from command-line options.</summary>
internal static class DeviceOptions
{
    /// <summary>
    /// Reads a bundle with the same parser the ESP32 image uses. Returns null after printing
    /// the reason when the file is missing or invalid; the passwords are never printed.
    /// </summary>
    public static async Task<VirtualEsp32Options?> FromBundleAsync(
        FileInfo file, ParseResult parseResult, TextWriter error, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            await error.WriteLineAsync($"Bundle file {file.FullName} was not found; write it with 'edgeiot-technician enroll'.");
            return null;
        }

        byte[] bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
        DeviceBundle? bundle = DeviceBundle.TryParse(bytes, out string? problem);
        if (bundle is null)
        {
            await error.WriteLineAsync($"Bundle file {file.FullName} is invalid: {problem}.");
            return null;
        }

        return new VirtualEsp32Options
        {
            DeviceId = bundle.DeviceId,
            Venue = bundle.Venue,
            EventId = bundle.EventId,
            Zone = bundle.Zone,
            MqttHost = bundle.MqttHost,
            MqttPort = bundle.MqttPort,
            Username = bundle.MqttUsername,
            Password = bundle.MqttPassword,
            RootPublicKey = bundle.RootPublicKey,
            RotatingCodeKey = bundle.RotatingCodeKey,
            FlashFile = FlashFile(parseResult, bundle.DeviceId),
            ClockSkew = TimeSpan.FromMilliseconds(parseResult.GetValue(CommandLineOptions.ClockSkew)),
            OutboxWindow = parseResult.GetValue(CommandLineOptions.OutboxWindow),
            PulseMilliseconds = parseResult.GetValue(CommandLineOptions.PulseMilliseconds),
            FlashSectorCount = parseResult.GetValue(CommandLineOptions.FlashSectors),
        };
    }

    /// <summary>Builds options from the hub endpoints file, enrollment or explicit values; null after printing what is missing.</summary>
    public static async Task<VirtualEsp32Options?> FromArgumentsAsync(
        ParseResult parseResult, TextWriter error, CancellationToken cancellationToken)
    {
        string? deviceId = parseResult.GetValue(CommandLineOptions.DeviceId);
        if (deviceId is null)
        {
            await error.WriteLineAsync("Missing --device-id: pass it, or pass --bundle with a technician bundle.");
            return null;
        }

        byte zone = parseResult.GetValue(CommandLineOptions.Zone);
        HubEnrollment.EndpointsFile? endpoints = parseResult.GetValue(CommandLineOptions.HubEndpoints) is FileInfo file
            ? await HubEnrollment.ReadEndpointsAsync(file.FullName, cancellationToken)
            : null;
        string? username = parseResult.GetValue(CommandLineOptions.Username);
        string? password = parseResult.GetValue(CommandLineOptions.Password);

        // System.CommandLine has no Uri parser, so the URL is checked here with a clear message.
        string? enrollText = parseResult.GetValue(CommandLineOptions.EnrollUrl);
        Uri? explicitEnrollUrl = null;
        if (enrollText is not null && !Uri.TryCreate(enrollText, UriKind.Absolute, out explicitEnrollUrl))
        {
            await error.WriteLineAsync(
                $"--enroll-url '{enrollText}' is not an absolute URL; use the hub's HTTP address, e.g. http://127.0.0.1:5080.");
            return null;
        }

        Uri? enrollUrl = explicitEnrollUrl
            ?? (username is null && endpoints is not null ? new Uri(endpoints.HttpUrl) : null);
        HubEnrollment.Credentials? credentials = null;
        if (enrollUrl is not null)
        {
            if (HubEnrollment.OperatorToken() is null)
            {
                await error.WriteLineAsync(
                    $"Missing operator token: enrolling {deviceId} at {enrollUrl} needs the hub's operator token in "
                    + $"{HubEnrollment.OperatorTokenVariable}. Set it to the contents of operator-token in the hub's data folder, "
                    + "or pass --username and --password from an earlier enrollment.");
                return null;
            }

            try
            {
                credentials = await HubEnrollment.EnrollAsync(enrollUrl, deviceId, zone, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                // With a status code the message already names the device and the hub's response.
                await error.WriteLineAsync(ex.StatusCode is null ? $"Enrollment of {deviceId} at {enrollUrl} failed: {ex.Message}" : ex.Message);
                return null;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await error.WriteLineAsync($"Enrollment of {deviceId} at {enrollUrl} timed out after 10 s; check that the hub is running.");
                return null;
            }
        }

        string? venue = parseResult.GetValue(CommandLineOptions.Venue) ?? credentials?.Venue ?? endpoints?.Venue;
        string? rootKey = parseResult.GetValue(CommandLineOptions.RootPublicKey) ?? credentials?.RootPublicKey ?? endpoints?.RootPublicKey;
        if (venue is null || rootKey is null)
        {
            await error.WriteLineAsync("Missing venue or root public key: pass --hub-endpoints, --enroll-url, or --venue and --root-public-key.");
            return null;
        }

        FileInfo? tlsCa = parseResult.GetValue(CommandLineOptions.MqttTlsCa);
        return new VirtualEsp32Options
        {
            DeviceId = deviceId,
            Venue = venue,
            EventId = parseResult.GetValue(CommandLineOptions.EventId) ?? credentials?.EventId ?? endpoints?.EventId ?? 0,
            Zone = zone,
            MqttHost = parseResult.GetValue(CommandLineOptions.MqttHost)!,
            MqttPort = parseResult.GetValue(CommandLineOptions.MqttPort)
                ?? (tlsCa is not null ? endpoints?.MqttTlsPort : null)
                ?? credentials?.MqttPort ?? endpoints?.MqttPort ?? 1883,
            MqttTlsCaFile = tlsCa?.FullName,
            Username = credentials?.MqttUsername ?? username,
            Password = credentials?.MqttPassword ?? password,
            RootPublicKey = Convert.FromBase64String(rootKey),
            RotatingCodeKey = credentials?.RotatingCodeKey is string rotating ? Convert.FromBase64String(rotating) : null,
            FlashFile = FlashFile(parseResult, deviceId),
            ClockSkew = TimeSpan.FromMilliseconds(parseResult.GetValue(CommandLineOptions.ClockSkew)),
            OutboxWindow = parseResult.GetValue(CommandLineOptions.OutboxWindow),
            PulseMilliseconds = parseResult.GetValue(CommandLineOptions.PulseMilliseconds),
            FlashSectorCount = parseResult.GetValue(CommandLineOptions.FlashSectors),
        };
    }

    private static string FlashFile(ParseResult parseResult, string deviceId) =>
        parseResult.GetValue(CommandLineOptions.FlashFile)?.FullName ?? Path.GetFullPath(deviceId + ".flash");
}
