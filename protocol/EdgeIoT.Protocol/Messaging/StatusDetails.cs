namespace EdgeIoT.Protocol.Messaging;

/// <summary>
/// Leading words of a <c>status</c> event's detail that raise or clear an operator alarm. A
/// device may add context after them ("door forced on pin 5"), because the hub matches the start only.
/// </summary>
public static class StatusDetails
{
    public const string DoorForced = "door forced";
    public const string DoorHeld = "door held";

    /// <summary>Clears both door forced and door held.</summary>
    public const string DoorClosed = "door closed";

    public const string FireRelease = "fire release";
    public const string FireCleared = "fire cleared";
    public const string PaperOut = "paper out";
    public const string PaperLoaded = "paper loaded";
    public const string CoverOpen = "cover open";
    public const string CoverClosed = "cover closed";
    public const string OutboxFull = "outbox full";

    /// <summary>An offline payment is older than the policy's forward-by deadline.</summary>
    public const string PaymentsOverdue = "payments overdue";

    /// <summary>Clears payments overdue once every payment has reached the hub.</summary>
    public const string PaymentsForwarded = "payments forwarded";

    /// <summary>An event was moved aside after repeated hub rejections; only a hub restart clears it.</summary>
    public const string DeadLetter = "dead letter";
}
