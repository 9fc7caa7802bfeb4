using System.CommandLine;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>snapshot status: version, size, whether devices get it, and which devices lag behind.</summary>
public static class SnapshotCommand
{
    public static Command Create(CommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        var status = common.AddTo(new Command("status",
            "Show the snapshot version, entitlement count and size, and the version each device reported; "
            + "exit code 1 when devices get no snapshot."));
        CliRunner.SetAction(status, async (parseResult, cancellationToken) =>
        {
            using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
            SnapshotStatus snapshot;
            if (target.Api is HubApiClient api)
            {
                snapshot = await api.GetAsync<SnapshotStatus>("/api/snapshot/status", cancellationToken);
            }
            else
            {
                await using OfflineHub hub = OfflineHub.Open(target.DataDirectory, create: false);
                SnapshotCache cache = hub.Get<SnapshotCache>();
                cache.Rebuild();
                snapshot = SnapshotStatus.From(cache, hub.Get<DeviceStore>().ReadDetails(), hub.Options.MinSnapshotSize);
            }

            Print(snapshot, parseResult.GetValue(common.Json));
            return snapshot.Published ? 0 : 1;
        });

        return new Command("snapshot", "The entitlement snapshot that gates use offline.") { status };
    }

    private static void Print(SnapshotStatus snapshot, bool json)
    {
        if (json)
        {
            CliOutput.Json(snapshot);
            return;
        }

        Console.WriteLine(
            $"Snapshot version {snapshot.Version}: {CliOutput.Number(snapshot.Count)} entitlements, {CliOutput.Number(snapshot.Bytes)} bytes");
        Console.WriteLine(snapshot.Published
            ? $"Sent to devices (minimum size {snapshot.MinSnapshotSize})."
            : $"NOT sent to devices: it holds fewer than Hub:MinSnapshotSize {snapshot.MinSnapshotSize} entitlements. Import the full guest list.");
        foreach (DeviceSnapshotVersion device in snapshot.Devices)
        {
            string version = device.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not reported";
            Console.WriteLine($"  {device.DeviceId,-20} {version,-12} {(device.Current ? "current" : "behind")}");
        }
    }
}
