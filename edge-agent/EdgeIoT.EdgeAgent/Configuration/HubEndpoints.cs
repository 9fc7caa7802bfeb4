namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>Contents of the hub.endpoints.json file the hub writes when it starts.</summary>
public sealed record HubEndpoints
{
    public int MqttPort { get; init; }

    /// <summary>TLS port of the hub's broker; 0 when it has none.</summary>
    public int MqttTlsPort { get; init; }

    public string? HttpUrl { get; init; }

    public string? Venue { get; init; }

    public uint EventId { get; init; }

    /// <summary>Venue root public key, base64.</summary>
    public string? RootPublicKey { get; init; }
}
