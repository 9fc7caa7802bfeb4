namespace EdgeIoT.Hub.Options;

/// <summary>Settings of the venue's MQTT side: the embedded broker, or the connection to an external one.</summary>
public sealed class MqttOptions
{
    /// <summary>Embedded (the default) or External.</summary>
    public BrokerMode Mode { get; set; } = BrokerMode.Embedded;

    /// <summary>TCP port; 0 lets the operating system choose, and hub.endpoints.json reports the choice.</summary>
    public int Port { get; set; } = 1883;

    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>Largest publish payload accepted, in bytes; larger publishes are rejected, not delivered.</summary>
    public int MaxPayloadBytes { get; set; } = 16384;

    /// <summary>TLS endpoint of the embedded broker.</summary>
    public BrokerTlsOptions Tls { get; set; } = new();

    /// <summary>Connection to the external broker; used only when <see cref="Mode"/> is External.</summary>
    public ExternalBrokerOptions External { get; set; } = new();

    /// <summary>Checks the TLS and external broker settings and names the first invalid one.</summary>
    public void Validate()
    {
        if (Tls.Enabled)
        {
            Require(Tls.Port is >= 0 and <= 65535, $"Hub:Mqtt:Tls:Port {Tls.Port} is invalid: use 0 to 65535.");
            Require(!string.IsNullOrWhiteSpace(Tls.CertificateFile),
                "Hub:Mqtt:Tls:CertificateFile is missing: TLS needs a PKCS#12 (.pfx) server certificate.");
            Require(File.Exists(Tls.CertificateFile),
                $"Hub:Mqtt:Tls:CertificateFile '{Tls.CertificateFile}' does not exist.");
        }

        if (Mode != BrokerMode.External)
        {
            return;
        }

        Require(!string.IsNullOrWhiteSpace(External.Host), "Hub:Mqtt:External:Host is missing.");
        Require(External.Port is > 0 and <= 65535,
            $"Hub:Mqtt:External:Port {External.Port} is invalid: use 1 to 65535.");
        Require(External.DevicePort is null or (> 0 and <= 65535),
            $"Hub:Mqtt:External:DevicePort {External.DevicePort} is invalid: use 1 to 65535.");
        Require(!string.IsNullOrWhiteSpace(External.UserName), "Hub:Mqtt:External:UserName is missing.");
        Require(!string.IsNullOrEmpty(External.Password),
            "Hub:Mqtt:External:Password is missing: the hub logs in to the external broker with its own account.");
        Require(External.ReceiveMaximum > 0, "Hub:Mqtt:External:ReceiveMaximum must be at least 1.");
        Require(External.CaFile is null || File.Exists(External.CaFile),
            $"Hub:Mqtt:External:CaFile '{External.CaFile}' does not exist.");
        Require(string.IsNullOrEmpty(External.PasswordFile) == string.IsNullOrEmpty(External.AclFile),
            "Hub:Mqtt:External:PasswordFile and Hub:Mqtt:External:AclFile must be set together.");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new HubSettingsException(message);
        }
    }
}
