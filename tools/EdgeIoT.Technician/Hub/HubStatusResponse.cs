namespace EdgeIoT.Technician.Hub;

/// <summary>The part of GET /api/status the technician reads.</summary>
public sealed record HubStatusResponse(string? Venue, IReadOnlyList<DeviceStatusEntry>? Devices);

/// <summary>One device in GET /api/status: state is "enrolled", "online" or "offline".</summary>
public sealed record DeviceStatusEntry(string DeviceId, string DeviceClass, string State, long LastSeenMs);
