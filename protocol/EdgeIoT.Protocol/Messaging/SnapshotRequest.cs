namespace EdgeIoT.Protocol.Messaging;

/// <summary>
/// A device's request for the snapshot changes since the version it holds (0 for none). The hub
/// answers on the MQTT 5 response topic with binary bytes: a delta (first byte 2) or the full
/// snapshot (first byte 1), see EntitlementSnapshot.
/// </summary>
public sealed record SnapshotRequest
{
    public required string DeviceId { get; init; }

    /// <summary>Snapshot version the device holds; 0 when it holds none.</summary>
    public uint Version { get; init; }
}
