using System.CommandLine;
using System.Text.Json;
using EdgeIoT.Firmware.Provisioning;
using EdgeIoT.Technician.Bundles;
using EdgeIoT.Technician.Flashing;
using EdgeIoT.Technician.Progress;

namespace EdgeIoT.Technician.Commands;

/// <summary>
/// `flash` writes the custom firmware image (nanoCLR with the EdgeIoT interop module) and
/// `deploy` writes the bundle and the application, both through nanoff.
/// </summary>
public static class FlashCommands
{
    /// <summary>Where the device's Program reads the bundle: internal storage, drive I:.</summary>
    public const string DeviceBundlePath = "I:\\edgeiot-bundle.json";

    private static readonly Option<string> TargetOption = new("--target")
    {
        Description = "nanoFramework target name of the board, e.g. ESP32_REV3 or ESP32_PSRAM_REV3.",
        Required = true,
    };

    private static readonly Option<string> SerialPortOption = new("--serialport")
    {
        Description = "Serial port of the board, e.g. /dev/ttyUSB0 or COM3.",
        Required = true,
    };

    private static readonly Option<FileInfo> FirmwareOption = new("--firmware")
    {
        Description = "nanoCLR.bin built from nf-interpreter with the EdgeIoT interop module (docs/firmware.md).",
        Required = true,
    };

    private static readonly Option<FileInfo> ImageOption = new("--image")
    {
        Description = "Application deployment image EdgeIoT.Firmware.Device.bin from the nanoFramework build.",
        Required = true,
    };

    private static readonly Option<FileInfo> BundleOption = new("--bundle")
    {
        Description = "Bundle file written by enroll.",
        Required = true,
    };

    public static Command CreateFlash()
    {
        var command = new Command("flash", "Flash the EdgeIoT firmware image through nanoff (nanoff --update --clrfile).")
        {
            TargetOption, SerialPortOption, FirmwareOption,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            FileInfo firmware = parseResult.GetRequiredValue(FirmwareOption);
            if (!firmware.Exists)
            {
                return await CommandRunner.InvalidAsync($"--firmware {firmware.FullName} was not found; build it as docs/firmware.md describes.");
            }

            NanoffRunner nanoff = NanoffRunner.Locate();
            string[] arguments = FlashArguments(
                parseResult.GetRequiredValue(TargetOption), parseResult.GetRequiredValue(SerialPortOption), firmware.FullName);
            await RunNanoffAsync(nanoff, "Flashing the firmware image", arguments, cancellationToken);
            return CommandRunner.Success;
        }));
        return command;
    }

    public static Command CreateDeploy()
    {
        var command = new Command("deploy", "Write the bundle to the device's internal storage and deploy the application through nanoff.")
        {
            TargetOption, SerialPortOption, ImageOption, BundleOption,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(async () =>
        {
            FileInfo image = parseResult.GetRequiredValue(ImageOption);
            if (!image.Exists)
            {
                return await CommandRunner.InvalidAsync($"--image {image.FullName} was not found; build EdgeIoT.Firmware.Device first.");
            }

            string bundlePath = parseResult.GetRequiredValue(BundleOption).FullName;
            DeviceBundle bundle = BundleFile.Read(bundlePath);
            NanoffRunner nanoff = NanoffRunner.Locate();
            string target = parseResult.GetRequiredValue(TargetOption);
            string serialPort = parseResult.GetRequiredValue(SerialPortOption);

            string deployment = Path.Combine(Path.GetTempPath(), $"edgeiot-deploy-{Guid.NewGuid():N}.json");
            await File.WriteAllBytesAsync(deployment, FileDeploymentJson(serialPort, bundlePath), cancellationToken);
            try
            {
                await RunNanoffAsync(nanoff, $"Writing the bundle of {bundle.DeviceId}", FileDeploymentArguments(serialPort, deployment), cancellationToken);
            }
            finally
            {
                File.Delete(deployment);
            }

            await RunNanoffAsync(nanoff, "Deploying the application", DeployArguments(target, serialPort, image.FullName), cancellationToken);
            await Console.Out.WriteLineAsync($"Deployed {bundle.DeviceId}; check it with: verify --bundle {bundlePath}");
            return CommandRunner.Success;
        }));
        return command;
    }

    /// <summary>nanoff arguments that flash a locally built nanoCLR image.</summary>
    public static string[] FlashArguments(string target, string serialPort, string firmware) =>
        ["--update", "--target", target, "--serialport", serialPort, "--clrfile", firmware];

    /// <summary>nanoff arguments that copy the files listed in a deployment JSON to the device's storage.</summary>
    public static string[] FileDeploymentArguments(string serialPort, string deploymentJson) =>
        ["--serialport", serialPort, "--filedeployment", deploymentJson];

    /// <summary>nanoff arguments that deploy the application image.</summary>
    public static string[] DeployArguments(string target, string serialPort, string image) =>
        ["--target", target, "--serialport", serialPort, "--deploy", "--image", image];

    /// <summary>The file list nanoff's --filedeployment reads: the bundle goes to <see cref="DeviceBundlePath"/>.</summary>
    public static byte[] FileDeploymentJson(string serialPort, string bundlePath)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("serialport", serialPort);
            json.WriteStartArray("files");
            json.WriteStartObject();
            json.WriteString("DestinationFilePath", DeviceBundlePath);
            json.WriteString("SourceFilePath", bundlePath);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static Task<bool> RunNanoffAsync(
        NanoffRunner nanoff, string description, string[] arguments, CancellationToken cancellationToken) =>
        SpinnerStepProgress.ForConsole().RunAsync(description, async report =>
        {
            await nanoff.RunAsync(arguments, report, cancellationToken);
            return true;
        });
}
