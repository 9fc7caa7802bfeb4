using System.CommandLine;
using EdgeIoT.Hub.Api;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>status: devices, online check latency, queue depth per lane, dead letters, key age and versions.</summary>
public static class StatusCommand
{
    public static Command Create(CommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        var status = common.AddTo(new Command("status",
            "Show devices online and offline, online check latency, queue depth per lane, key age and snapshot version."));
        CliRunner.SetAction(status, async (parseResult, cancellationToken) =>
        {
            using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
            StatusResponse response = await ReadAsync(target, cancellationToken);
            if (parseResult.GetValue(common.Json))
            {
                CliOutput.Json(response);
            }
            else
            {
                Print(response, target);
            }

            return 0;
        });
        return status;
    }

    public static async Task<StatusResponse> ReadAsync(HubTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);

        if (target.Api is HubApiClient api)
        {
            return await api.GetAsync<StatusResponse>("/api/status", cancellationToken);
        }

        await using OfflineHub hub = OfflineHub.Open(target.DataDirectory, create: false);
        return OfflineStatus.Read(hub);
    }

    private static void Print(StatusResponse status, HubTarget target)
    {
        string where = target.Api is HubApiClient api ? $"running at {api.BaseUrl}" : $"stopped, files in {target.DataDirectory}";
        Console.WriteLine($"Hub {status.Venue}, event {status.EventId}: {where}");
        string key = status.SigningKey is null
            ? "no signing key loaded"
            : $"signing key {status.SigningKey}, {TimeSpan.FromSeconds(status.KeyAgeSeconds).TotalMinutes:0} min old";
        Console.WriteLine($"Snapshot version {status.SnapshotVersion}, key list version {status.KeyListVersion}, {key}");
        if (status.Clock is { State: "hub_step" } clock)
        {
            Console.WriteLine(
                $"Hub clock is wrong: the wall clock is {clock.WallClockDifferenceMs / 1000.0:+0.###;-0.###} s from venue time; "
                + $"venue time holds the step for {clock.HeldMs / 1000:0} s of at most 320 s. Check the hub's date and time.");
        }

        if (status.Checks is { } checks)
        {
            Console.WriteLine(checks.Count == 0
                ? "Online checks: none since start"
                : $"Online checks: {CliOutput.Number(checks.Count)} since start, p50 {checks.P50Micros / 1000.0:0.0} ms, p99 {checks.P99Micros / 1000.0:0.0} ms");
        }

        int online = status.Devices.Count(device => device.State == "online");
        Console.WriteLine($"Devices: {online} online, {status.Devices.Count - online} not online");
        foreach (DeviceStatusItem device in status.Devices)
        {
            Console.WriteLine($"  {device.DeviceId,-20} {device.DeviceClass,-8} {device.State,-9} last seen {CliOutput.Age(device.LastSeenMs, status.NowMs)}");
        }

        LaneCounts lanes = status.Lanes;
        Console.WriteLine(
            $"Queue (unsent): payments {lanes.Payments}, entitlements {lanes.Entitlements}, check-ins {lanes.CheckIns}, "
            + $"telemetry {lanes.Telemetry}; dead letters {lanes.DeadLetters}");
        LedgerStatusItem ledger = status.Ledger;
        if (target.Api is null)
        {
            // Only a running hub counts the events it sent, so a stopped one would show "sent 0"
            // after every event reached the ledger. The unsent queue above is what a reader needs.
            Console.WriteLine(
                $"Ledger {status.LedgerUrl}: not contacted while the hub is stopped; \"Queue (unsent)\" shows what is still to send");
            return;
        }

        string link = ledger.Reachable ? "reachable" : "not reachable";
        string error = ledger.LastError is null ? string.Empty : $"; last error: {ledger.LastError}";
        Console.WriteLine(
            $"Ledger {status.LedgerUrl}: {link}, last success {CliOutput.Age(ledger.LastSuccessMs, status.NowMs)}, sent {CliOutput.Number(ledger.Sent)} since the hub started{error}");
    }
}
