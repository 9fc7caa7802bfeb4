namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>
/// Result of publishing one outbox event: delivered (the hub stored it), rejected by the hub
/// with the PUBACK's reason, or not delivered because the connection failed.
/// </summary>
public readonly record struct EventPublishResult
{
    public static EventPublishResult Delivered { get; } = new() { IsDelivered = true };

    public static EventPublishResult NotDelivered => default;

    public bool IsDelivered { get; init; }

    /// <summary>Reason code and reason string of the hub's PUBACK; null unless the hub rejected the event.</summary>
    public string? RejectionReason { get; init; }

    public bool IsRejected => RejectionReason is not null;

    public static EventPublishResult RejectedWith(string reason) => new() { RejectionReason = reason };
}
