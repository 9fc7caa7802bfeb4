namespace EdgeIoT.Hub.Options;

/// <summary>Settings of the push to the central ledger.</summary>
public sealed class LedgerOptions
{
    public string BaseUrl { get; set; } = "http://127.0.0.1:5090";

    /// <summary>Name of this hub at the ledger; defaults to the venue.</summary>
    public string? HubId { get; set; }

    /// <summary>Most events sent in one batch.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>First retry delay after a failed push; it doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one batch request.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rejections (HTTP 4xx) after which an event moves to the dead-letter state.</summary>
    public int MaxRejections { get; set; } = 10;
}
