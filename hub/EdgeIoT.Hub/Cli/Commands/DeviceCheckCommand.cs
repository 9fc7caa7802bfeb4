using System.CommandLine;
using EdgeIoT.Hub.Api;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>
/// devices check: one line per device with OK, WARN or FAIL and what to do. A device fails when
/// it is not connected to the broker now; a version behind the hub's or an alarm it reported
/// (such as "outbox full") is a warning.
/// </summary>
public static class DeviceCheckCommand
{
    public static Command Create(CommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        var check = common.AddTo(new Command("check",
            "Check that every enrolled device is connected and current; exit code 1 when one is not."));
        CliRunner.SetAction(check, async (parseResult, cancellationToken) =>
        {
            using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
            StatusResponse status = await StatusCommand.ReadAsync(target, cancellationToken);
            IReadOnlyList<DeviceDetails> devices = await DevicesCommand.ReadAsync(target, cancellationToken);
            List<DeviceCheck> results = devices.Select(device => Check(device, status, target.Api is not null)).ToList();

            if (parseResult.GetValue(common.Json))
            {
                CliOutput.Json(results);
            }
            else if (results.Count == 0)
            {
                Console.WriteLine("No devices are enrolled: run 'devices enroll DEVICE-ID' for each lane.");
            }
            else
            {
                results.ForEach(result => Console.WriteLine($"{result.Result,-5} {result.DeviceId}: {result.Detail}"));
            }

            return results.Count > 0 && results.All(result => result.Result != "FAIL") ? 0 : 1;
        });
        return check;
    }

    private static DeviceCheck Check(DeviceDetails device, StatusResponse status, bool hubRunning)
    {
        string seen = CliOutput.Age(device.LastSeenMs, status.NowMs);
        if (!hubRunning)
        {
            return new DeviceCheck(device.DeviceId, "FAIL", $"the hub is stopped, so no device can be connected; last seen {seen}");
        }

        if (device.State != "online")
        {
            string hint = device.LastSeenMs is null
                ? "it never connected: give it the credentials from 'devices enroll' and the hub.endpoints.json"
                : "check its power and network, then run the agent's 'doctor' command on the lane";
            return new DeviceCheck(device.DeviceId, "FAIL", $"{device.State}, last seen {seen}; {hint}");
        }

        var warnings = new List<string>();
        if (device.KeyListVersion is uint keys && keys < status.KeyListVersion)
        {
            warnings.Add($"reported key list {keys} at connect, hub has {status.KeyListVersion}");
        }

        if (device.SnapshotVersion is uint snapshot && snapshot < status.SnapshotVersion)
        {
            warnings.Add($"reported snapshot {snapshot} at connect, hub has {status.SnapshotVersion}");
        }

        if (device.LastDetail is string detail)
        {
            warnings.Add($"last alarm: {detail}");
        }

        return warnings.Count == 0
            ? new DeviceCheck(device.DeviceId, "OK", $"online, last seen {seen}")
            : new DeviceCheck(device.DeviceId, "WARN", $"online, last seen {seen}; {string.Join("; ", warnings)}");
    }

    /// <summary>Result of one device: "OK", "WARN" or "FAIL", with the reason and what to do.</summary>
    public sealed record DeviceCheck(string DeviceId, string Result, string Detail);
}
