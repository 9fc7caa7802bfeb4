namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>Everything a <see cref="HubConnection"/> needs to reach the broker.</summary>
public sealed record HubConnectionSettings
{
    public required string DeviceId { get; init; }

    public required string Venue { get; init; }

    public required string Host { get; init; }

    public required int Port { get; init; }

    public string? Username { get; init; }

    public bool UseTls { get; init; }

    /// <summary>PEM trust anchor for the broker's certificate; null uses the system store.</summary>
    public string? TlsCaFile { get; init; }

    public string? Password { get; init; }

    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Minimum time between two key resync requests.</summary>
    public TimeSpan KeyResyncInterval { get; init; } = TimeSpan.FromSeconds(30);
}
