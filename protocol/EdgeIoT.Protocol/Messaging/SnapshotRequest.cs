namespace EdgeIoT.Protocol.Messaging;

/// <summary>
/// A device's request for the snapshot changes since its installed version (0 for none). The hub
/// replies on the MQTT 5 response topic with binary bytes: a delta (first byte 2) or the full
/// snapshot (first byte 1), see EntitlementSnapshot.
/// </summary>
public sealed record SnapshotRequest
{
    public required string DeviceId { get; init; }

    /// <summary>Snapshot version installed on the device; 0 when it has none.</summary>
    public uint Version { get; init; }
}
