namespace EdgeIoT.Hub.Options;

/// <summary>Settings of the one-time code delivery.</summary>
public sealed class SmsOptions
{
    /// <summary>JSON-lines file that replaces an SMS gateway; defaults to {DataDirectory}/sms-outbox.jsonl.</summary>
    public string? OutboxFile { get; set; }
}
