namespace EdgeIoT.Hub.Options;

/// <summary>Settings of the key ring.</summary>
public sealed class KeyOptions
{
    /// <summary>How long one edge signing key signs before the next one takes over.</summary>
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Clock skew tolerated between hub and devices, in seconds.</summary>
    public int ClockSkewSeconds { get; set; } = 20;

    /// <summary>File with the 32-byte key that encrypts the private keys in hub.db; none stores them raw.</summary>
    public string? EncryptionKeyFile { get; set; }

    /// <summary>Name of a systemd credential (LoadCredential=) with that key, instead of a file.</summary>
    public string? EncryptionKeyCredential { get; set; }

    /// <summary>Name of an environment variable with that key as base64, instead of a file.</summary>
    public string? EncryptionKeyVariable { get; set; }
}
