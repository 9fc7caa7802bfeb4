namespace EdgeIoT.Hub.Options;

/// <summary>TLS endpoint of the embedded broker.</summary>
public sealed class BrokerTlsOptions
{
    public bool Enabled { get; set; }

    /// <summary>TLS port, 8883 by the MQTT convention; 0 lets the operating system choose.</summary>
    public int Port { get; set; } = 8883;

    /// <summary>PKCS#12 (.pfx) file with the server certificate and its private key.</summary>
    public string? CertificateFile { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>Keeps the plain TCP endpoint on <see cref="MqttOptions.Port"/> open next to the TLS one.</summary>
    public bool KeepPlainEndpoint { get; set; }
}
