namespace EdgeIoT.Hub.Dashboard;

/// <summary>
/// A condition the operator should act on. <see cref="Kind"/> is one of <see cref="AlarmKinds"/>;
/// <see cref="SinceMs"/> is the hub time it was raised, Unix milliseconds.
/// </summary>
public sealed record Alarm(string Kind, string DeviceId, string Detail, long SinceMs);
