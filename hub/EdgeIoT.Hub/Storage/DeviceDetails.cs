namespace EdgeIoT.Hub.Storage;

/// <summary>
/// A device with what it last reported: the key list and snapshot versions and boot id of its
/// last status message, and the detail of its last status event (such as "outbox full").
/// </summary>
public sealed record DeviceDetails(
    string DeviceId,
    string DeviceClass,
    byte Zone,
    string State,
    long? LastSeenMs,
    uint? KeyListVersion,
    uint? SnapshotVersion,
    string? BootId,
    string? LastDetail);
