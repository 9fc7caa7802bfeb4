namespace EdgeIoT.Hub.Storage;

/// <summary>Snapshot bytes for one device: a delta (format 2) or the full snapshot (format 1), and the version it brings.</summary>
public sealed record SnapshotPayload(byte[] Bytes, bool IsDelta, uint Version);
