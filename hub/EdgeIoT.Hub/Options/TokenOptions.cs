namespace EdgeIoT.Hub.Options;

/// <summary>Settings of issued session tokens.</summary>
public sealed class TokenOptions
{
    /// <summary>Lifetime of a session token in seconds, 30 to 300.</summary>
    public int LifetimeSeconds { get; set; } = 120;
}
