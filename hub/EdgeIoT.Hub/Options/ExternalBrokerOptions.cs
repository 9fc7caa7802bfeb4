namespace EdgeIoT.Hub.Options;

/// <summary>Connection of the hub to an external MQTT 5 broker (Mosquitto is the tested one).</summary>
public sealed class ExternalBrokerOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 1883;

    /// <summary>Port that devices use, written to hub.endpoints.json; defaults to <see cref="Port"/>.</summary>
    public int? DevicePort { get; set; }

    /// <summary>The hub's own account at the broker.</summary>
    public string UserName { get; set; } = "edgeiot-hub";

    public string? Password { get; set; }

    /// <summary>Client id of the hub's persistent session; one hub per id.</summary>
    public string ClientId { get; set; } = "edgeiot-hub";

    /// <summary>How long the broker keeps the hub's session, and queues events for it, while the hub is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromDays(2);

    /// <summary>QoS 1 messages the broker may send the hub before the hub acknowledges them.</summary>
    public ushort ReceiveMaximum { get; set; } = 1000;

    /// <summary>How long start waits for the first connection before it goes on and keeps retrying.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    public bool UseTls { get; set; }

    /// <summary>PEM file of the CA (or the self-signed server certificate) that the broker's certificate must chain to.</summary>
    public string? CaFile { get; set; }

    /// <summary>Mosquitto password file that the hub rewrites at start and after every enrollment; optional.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Mosquitto ACL file written together with <see cref="PasswordFile"/>.</summary>
    public string? AclFile { get; set; }

    /// <summary>Mosquitto's pid_file; when set, the hub sends SIGHUP after rewriting the files so Mosquitto reloads them.</summary>
    public string? PidFile { get; set; }
}
