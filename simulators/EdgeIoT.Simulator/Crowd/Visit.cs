namespace EdgeIoT.Simulator.Crowd;

/// <summary>What a visitor does at the gate.</summary>
public enum VisitKind
{
    /// <summary>Pre-registered guest: fresh token from the hub, QR at the gate.</summary>
    PreRegistered,

    /// <summary>Walk-in: phone and one-time code, a spend-limited token, a purchase at the lane.</summary>
    WalkIn,

    /// <summary>Creator's assistant: delegated credential, sells at the lane for the creator.</summary>
    CreatorAssistant,

    /// <summary>A guest admitted earlier who comes back with a fresh token.</summary>
    ReEntry,

    /// <summary>A code signed by a key the venue never issued.</summary>
    Forged,

    /// <summary>A screenshot of a code another guest already used.</summary>
    Replay,

    /// <summary>A genuine code shown after it expired.</summary>
    Expired,

    /// <summary>A genuine code of another event, signed by that event's key.</summary>
    OtherEvent,

    /// <summary>Something that is not a ticket at all (a web link, a truncated code).</summary>
    Garbage,
}

/// <summary>
/// One planned arrival: when, at which lane, who, and how the scan goes. <see cref="Earlier"/>
/// is the visit this one depends on: the guest whose code a replay copies, or the first
/// entry of a re-entry; the visit waits for it, so the order of decisions repeats.
/// </summary>
public sealed record Visit(
    int Index, TimeSpan ArrivesAt, int Lane, VisitKind Kind, string? OrderCode, ScanHabits Habits, int? Earlier = null);
