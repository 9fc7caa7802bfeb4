using System.CommandLine;
using EdgeIoT.Firmware.Provisioning;
using EdgeIoT.Technician.Bundles;
using EdgeIoT.Technician.Hub;
using EdgeIoT.Technician.Progress;

namespace EdgeIoT.Technician.Commands;

/// <summary>`verify`: waits until the hub reports the device online (GET /api/status), with a timeout.</summary>
public static class VerifyCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private static readonly Option<FileInfo?> BundleOption = new("--bundle")
    {
        Description = "Bundle file written by enroll; supplies the hub URL and the device id.",
    };

    private static readonly Option<string?> HubOption = new("--hub") { Description = "Hub HTTP base URL; overrides the bundle's." };

    private static readonly Option<string?> DeviceOption = new("--device-id") { Description = "Device id; overrides the bundle's." };

    private static readonly Option<int> TimeoutOption = new("--timeout-seconds")
    {
        Description = "How long to wait for the device to come online, in seconds.",
        DefaultValueFactory = _ => 120,
    };

    public static Command Create()
    {
        var command = new Command("verify", "Wait until the hub reports the device online.")
        {
            BundleOption, HubOption, DeviceOption, TimeoutOption,
        };
        command.SetAction((parseResult, cancellationToken) => CommandRunner.RunAsync(() => RunAsync(parseResult, cancellationToken)));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        DeviceBundle? bundle = parseResult.GetValue(BundleOption) is FileInfo file ? BundleFile.Read(file.FullName) : null;
        string? hubText = parseResult.GetValue(HubOption) ?? bundle?.HubUrl;
        string? deviceId = parseResult.GetValue(DeviceOption) ?? bundle?.DeviceId;
        if (hubText is null || deviceId is null)
        {
            return await CommandRunner.InvalidAsync("Pass --bundle, or --hub and --device-id.");
        }

        Uri? hub = CommandRunner.ParseHubUrl(hubText);
        if (hub is null)
        {
            return await CommandRunner.InvalidAsync($"Hub URL '{hubText}' is not an absolute http:// or https:// URL.");
        }

        int timeoutSeconds = parseResult.GetValue(TimeoutOption);
        if (timeoutSeconds is < 1 or > 3600)
        {
            return await CommandRunner.InvalidAsync($"--timeout-seconds {timeoutSeconds} is invalid: use 1 to 3600.");
        }

        using var client = HubApiClient.Create(hub, TimeSpan.FromSeconds(10));
        TimeSpan timeout = TimeSpan.FromSeconds(timeoutSeconds);
        DeviceStatusEntry? last = await SpinnerStepProgress.ForConsole().RunAsync(
            $"Waiting up to {timeoutSeconds} s for {deviceId} at {hub}",
            report => WaitOnlineAsync(client, deviceId, timeout, report, cancellationToken));
        if (last is { State: "online" })
        {
            await Console.Out.WriteLineAsync($"{deviceId} is online at {hub}.");
            return CommandRunner.Success;
        }

        string seen = last is null ? "the hub does not know this device; enroll it first" : $"the hub reports state '{last.State}'";
        string hint = bundle is null
            ? "Check power, Wi-Fi and the broker address of the device."
            : $"Check power, that Wi-Fi '{bundle.WifiSsid}' is in range, and that {bundle.MqttHost}:{bundle.MqttPort} is reachable from it.";
        throw new TechnicianException($"{deviceId} did not come online at {hub} within {timeoutSeconds} s ({seen}). {hint}");
    }

    private static async Task<DeviceStatusEntry?> WaitOnlineAsync(
        HubApiClient client, string deviceId, TimeSpan timeout, Action<string> report, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var timer = new PeriodicTimer(PollInterval);
        DeviceStatusEntry? last = null;
        try
        {
            do
            {
                last = await client.GetDeviceAsync(deviceId, deadline.Token);
                report(last is null ? "not enrolled at this hub" : $"state {last.State}");
                if (last is { State: "online" })
                {
                    return last;
                }
            }
            while (await timer.WaitForNextTickAsync(deadline.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout passed; the caller reports the last state seen.
        }

        return last;
    }
}
