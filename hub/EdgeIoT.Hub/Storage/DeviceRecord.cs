namespace EdgeIoT.Hub.Storage;

/// <summary>An enrolled device as the status API shows it.</summary>
public sealed record DeviceRecord(string DeviceId, string DeviceClass, byte Zone, string State, long? LastSeenMs);
