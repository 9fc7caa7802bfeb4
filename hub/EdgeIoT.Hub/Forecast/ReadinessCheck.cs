using EdgeIoT.Hub.Metrics;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Forecast;

/// <summary>
/// Checks before the forecast peak that every device can verify the tokens of the rush offline:
/// it must hold the current snapshot and a key list that includes the key signing at the peak.
/// </summary>
public static class ReadinessCheck
{
    /// <summary>
    /// Returns one warning per device or hub-wide problem; empty when every device is ready.
    /// <paramref name="settled"/> holds the versions a device should have by now (see <see cref="SettledVersions"/>).
    /// </summary>
    public static IReadOnlyList<ReadinessWarning> Check(
        DateTimeOffset peak,
        KeyRotationStatus? keys,
        (uint Snapshot, uint KeyList) settled,
        IReadOnlyList<DeviceRecord> devices,
        DeviceReports reports)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(reports);

        var warnings = new List<ReadinessWarning>();
        if (keys is null || !keys.Covers(peak))
        {
            warnings.Add(new ReadinessWarning(
                "hub",
                $"the key that signs at the peak ({peak:HH:mm} UTC) is not in the key list yet, so devices cannot hold it in advance; "
                + "shorten Hub:Keys:RotationInterval or expect devices to need the hub link at the peak"));
        }

        foreach (DeviceRecord device in devices.Where(device => device.DeviceClass != Mqtt.SessionIdentity.OperatorUserName))
        {
            string? problem = FindProblem(device, reports.Find(device.DeviceId), settled);
            if (problem is not null)
            {
                warnings.Add(new ReadinessWarning(device.DeviceId, problem));
            }
        }

        return warnings;
    }

    private static string? FindProblem(DeviceRecord device, DeviceReport? report, (uint Snapshot, uint KeyList) settled)
    {
        if (device.State != "online")
        {
            return $"is {device.State}, so it cannot receive the current snapshot and key list before the peak";
        }

        if (report?.SnapshotVersion is not uint snapshot || snapshot < settled.Snapshot)
        {
            return $"reports snapshot version {Describe(report?.SnapshotVersion)}, the hub has published {settled.Snapshot} or later";
        }

        if (report.KeyListVersion is not uint keyList || keyList < settled.KeyList)
        {
            return $"reports key list version {Describe(report.KeyListVersion)}, the hub has published {settled.KeyList} or later, "
                + "which lists the next signing key";
        }

        return null;
    }

    private static string Describe(uint? version) =>
        version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown";
}
