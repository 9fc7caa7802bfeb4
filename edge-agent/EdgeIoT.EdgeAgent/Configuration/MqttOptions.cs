namespace EdgeIoT.EdgeAgent.Configuration;

/// <summary>Connection to the hub's MQTT broker.</summary>
public sealed class MqttOptions
{
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port. Agent:HubEndpointsFile, when set, replaces it with the hub's port.</summary>
    public int Port { get; set; } = 1883;

    public string? Username { get; set; }

    /// <summary>Connects with TLS; Agent:HubEndpointsFile then supplies the hub's TLS port.</summary>
    public bool UseTls { get; set; }

    /// <summary>PEM file of the CA (or self-signed hub certificate) the broker's certificate must chain to; unset trusts the system store.</summary>
    public string? TlsCaFile { get; set; }

    public string? Password { get; set; }

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the broker keeps this agent's session while it is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Shortest reconnect delay. The ceiling doubles per failed attempt, and the delay is random below it.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(10);
}
