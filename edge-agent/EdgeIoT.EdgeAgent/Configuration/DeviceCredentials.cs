namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>
/// The hub's enrollment response, stored as credentials.json (mode 0600) in the data folder
/// so later starts reuse it.
/// </summary>
public sealed record DeviceCredentials
{
    public required string DeviceId { get; init; }

    public required string MqttUsername { get; init; }

    public required string MqttPassword { get; init; }

    public string? Venue { get; init; }

    public uint EventId { get; init; }

    /// <summary>Venue root public key, base64.</summary>
    public string? RootPublicKey { get; init; }

    public int MqttPort { get; init; }

    /// <summary>The event's rotating-code key for checking passes, base64; absent from older hubs.</summary>
    public string? RotatingCodeKey { get; init; }
}
