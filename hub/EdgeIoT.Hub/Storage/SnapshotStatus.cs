namespace EdgeIoT.Hub.Storage;

/// <summary>
/// The snapshot as the operator checks it before doors open: version, entitlement count, encoded
/// size, whether devices get it (false while empty or below MinSnapshotSize), and the version
/// each device last reported.
/// </summary>
public sealed record SnapshotStatus(
    uint Version,
    int Count,
    int Bytes,
    int MinSnapshotSize,
    bool Published,
    IReadOnlyList<DeviceSnapshotVersion> Devices)
{
    public static SnapshotStatus From(SnapshotCache snapshots, IReadOnlyList<DeviceDetails> devices, int minSnapshotSize)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(devices);

        byte[] bytes = snapshots.Bytes;
        return new SnapshotStatus(
            snapshots.Version,
            snapshots.Count,
            bytes.Length,
            minSnapshotSize,
            bytes.Length > 0,
            devices.Select(device => new DeviceSnapshotVersion(
                device.DeviceId, device.SnapshotVersion, device.SnapshotVersion == snapshots.Version)).ToList());
    }
}

/// <summary>The snapshot version a device last reported in its status (null before its first report).</summary>
public sealed record DeviceSnapshotVersion(string DeviceId, uint? Version, bool Current);
