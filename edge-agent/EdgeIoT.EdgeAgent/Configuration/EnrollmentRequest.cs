namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>Body of POST /api/devices, the hub's enrollment endpoint.</summary>
public sealed record EnrollmentRequest(string DeviceId, string DeviceClass, byte Zone);
