using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Dashboard;

/// <summary>
/// Alarm kinds. Devices raise the first eight with a <c>status</c> event whose detail starts with
/// the words in <see cref="StatusDetails"/> ("paper out", "payments overdue"); the hub derives the others.
/// </summary>
public static class AlarmKinds
{
    public const string PaperOut = "paper_out";
    public const string CoverOpen = "cover_open";
    public const string DoorForced = "door_forced";
    public const string DoorHeld = "door_held";
    public const string FireRelease = "fire_release";
    public const string OutboxFull = "outbox_full";
    public const string PaymentsOverdue = "payments_overdue";
    public const string DeadLetter = "dead_letter";
    public const string QueueNearFull = "queue_near_full";
    public const string ClockDrift = "clock_drift";
    public const string ProvisioningAtRisk = "provisioning_at_risk";

    private static readonly (string Detail, string Kind)[] Raising =
    [
        (StatusDetails.PaperOut, PaperOut),
        (StatusDetails.CoverOpen, CoverOpen),
        (StatusDetails.DoorForced, DoorForced),
        (StatusDetails.DoorHeld, DoorHeld),
        (StatusDetails.FireRelease, FireRelease),
        (StatusDetails.OutboxFull, OutboxFull),
        (StatusDetails.PaymentsOverdue, PaymentsOverdue),
        (StatusDetails.DeadLetter, DeadLetter),
    ];

    private static readonly (string Detail, string[] Kinds)[] Clearing =
    [
        (StatusDetails.PaperLoaded, [PaperOut]),
        (StatusDetails.CoverClosed, [CoverOpen]),
        (StatusDetails.DoorClosed, [DoorForced, DoorHeld]),
        (StatusDetails.FireCleared, [FireRelease]),
        (StatusDetails.PaymentsForwarded, [PaymentsOverdue]),
    ];

    /// <summary>Returns the alarm kind a status event's detail raises, or null for other details.</summary>
    public static string? FromStatusDetail(string? detail)
    {
        if (string.IsNullOrEmpty(detail))
        {
            return null;
        }

        foreach ((string prefix, string kind) in Raising)
        {
            if (detail.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return kind;
            }
        }

        return null;
    }

    /// <summary>Returns the alarm kinds a status event's detail clears, or an empty list for other details.</summary>
    public static IReadOnlyList<string> ClearedBy(string? detail)
    {
        if (string.IsNullOrEmpty(detail))
        {
            return [];
        }

        foreach ((string prefix, string[] kinds) in Clearing)
        {
            if (detail.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return kinds;
            }
        }

        return [];
    }

    /// <summary>Whether a device can clear <paramref name="kind"/> with a status event; a hub restart clears the others.</summary>
    public static bool IsClearedByDevice(string kind) =>
        Clearing.Any(clearing => clearing.Kinds.Contains(kind, StringComparer.Ordinal));
}
