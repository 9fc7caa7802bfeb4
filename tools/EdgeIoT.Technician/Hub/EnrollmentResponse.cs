namespace EdgeIoT.Technician.Hub;

/// <summary>The hub's response to POST /api/devices.</summary>
public sealed record EnrollmentResponse(
    string DeviceId, string MqttUsername, string MqttPassword, string Venue, uint EventId, string RootPublicKey, int MqttPort,
    string? RotatingCodeKey = null);
