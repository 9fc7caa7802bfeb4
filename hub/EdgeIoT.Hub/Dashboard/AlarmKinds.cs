namespace EdgeIoT.Hub.Dashboard;

/// <summary>
/// Alarm kinds. Devices raise the first five with a <c>status</c> event whose detail starts
/// with the kind's text ("paper out", "door forced", "outbox full", "payments overdue",
/// "dead letter"); the hub derives the others.
/// </summary>
public static class AlarmKinds
{
    public const string PaperOut = "paper_out";
    public const string DoorForced = "door_forced";
    public const string OutboxFull = "outbox_full";
    public const string PaymentsOverdue = "payments_overdue";
    public const string DeadLetter = "dead_letter";
    public const string QueueNearFull = "queue_near_full";
    public const string ClockDrift = "clock_drift";
    public const string ProvisioningAtRisk = "provisioning_at_risk";

    /// <summary>Returns the alarm kind a status event's detail raises, or null for other details.</summary>
    public static string? FromStatusDetail(string? detail)
    {
        if (string.IsNullOrEmpty(detail))
        {
            return null;
        }

        if (detail.StartsWith("paper out", StringComparison.OrdinalIgnoreCase))
        {
            return PaperOut;
        }

        if (detail.StartsWith("door forced", StringComparison.OrdinalIgnoreCase))
        {
            return DoorForced;
        }

        if (detail.StartsWith("payments overdue", StringComparison.OrdinalIgnoreCase))
        {
            return PaymentsOverdue;
        }

        if (detail.StartsWith("dead letter", StringComparison.OrdinalIgnoreCase))
        {
            return DeadLetter;
        }

        return detail.StartsWith("outbox full", StringComparison.OrdinalIgnoreCase) ? OutboxFull : null;
    }

    /// <summary>Returns whether a status event's detail clears an alarm raised by an earlier one.</summary>
    public static string? ClearedBy(string? detail)
    {
        if (string.IsNullOrEmpty(detail))
        {
            return null;
        }

        if (detail.StartsWith("paper loaded", StringComparison.OrdinalIgnoreCase))
        {
            return PaperOut;
        }

        if (detail.StartsWith("payments forwarded", StringComparison.OrdinalIgnoreCase))
        {
            return PaymentsOverdue;
        }

        return detail.StartsWith("door closed", StringComparison.OrdinalIgnoreCase) ? DoorForced : null;
    }
}
