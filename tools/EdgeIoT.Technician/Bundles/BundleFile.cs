using System.Text.Json;
using EdgeIoT.Firmware.Provisioning;
using EdgeIoT.Technician.Commands;

namespace EdgeIoT.Technician.Bundles;

/// <summary>
/// Writes and reads the device configuration bundle (docs/firmware.md). The file contains the
/// MQTT and Wi-Fi passwords, so on Unix it is created readable and writable by its owner only
/// (mode 600), and its contents are never printed.
/// </summary>
public static class BundleFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Serializes the bundle in the documented layout.</summary>
    public static byte[] Serialize(DeviceBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", DeviceBundle.FormatName);
            json.WriteNumber("version", DeviceBundle.FormatVersion);
            json.WriteString("deviceId", bundle.DeviceId);
            json.WriteString("venue", bundle.Venue);
            json.WriteNumber("eventId", bundle.EventId);
            json.WriteNumber("zone", bundle.Zone);
            json.WriteString("hubUrl", bundle.HubUrl);
            json.WriteString("rootPublicKey", Convert.ToBase64String(bundle.RootPublicKey));
            if (bundle.RotatingCodeKey is not null)
            {
                json.WriteString("rotatingCodeKey", Convert.ToBase64String(bundle.RotatingCodeKey));
            }

            json.WriteStartObject("mqtt");
            json.WriteString("host", bundle.MqttHost);
            json.WriteNumber("port", bundle.MqttPort);
            json.WriteString("username", bundle.MqttUsername);
            json.WriteString("password", bundle.MqttPassword);
            json.WriteEndObject();
            json.WriteStartObject("wifi");
            json.WriteString("ssid", bundle.WifiSsid);
            json.WriteString("password", bundle.WifiPassword);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Checks the bundle with the parser the device runs, then writes it to a new file only
    /// its owner can read. An existing file is replaced only when <paramref name="overwrite"/> is set.
    /// </summary>
    /// <exception cref="TechnicianException">The bundle is invalid or the file exists.</exception>
    public static void Write(string path, DeviceBundle bundle, bool overwrite)
    {
        byte[] bytes = Serialize(bundle);
        if (DeviceBundle.TryParse(bytes, out string? error) is null)
        {
            throw new TechnicianException($"The bundle for {bundle.DeviceId} would be rejected by the device: {error}.");
        }

        if (File.Exists(path))
        {
            if (!overwrite)
            {
                throw new TechnicianException($"Bundle file {path} already exists; pass --force to replace it.");
            }

            // Deleted rather than truncated, so the new file gets owner-only permissions
            // even when the old one was readable by others.
            File.Delete(path);
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        using var file = new FileStream(path, options);
        file.Write(bytes);
        file.Flush(flushToDisk: true);
    }

    /// <summary>Reads and checks a bundle file with the device's parser.</summary>
    /// <exception cref="TechnicianException">The file is missing or invalid (exit code 2).</exception>
    public static DeviceBundle Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new TechnicianException($"Bundle file {path} was not found; write it with 'enroll'.", CommandRunner.InvalidInput);
        }

        return DeviceBundle.TryParse(File.ReadAllBytes(path), out string? error)
            ?? throw new TechnicianException($"Bundle file {path} is invalid: {error}.", CommandRunner.InvalidInput);
    }
}
