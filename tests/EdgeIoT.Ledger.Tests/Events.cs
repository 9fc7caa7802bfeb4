using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Ledger.Tests;

/// <summary>Builders of edge events as devices produce them.</summary>
public static class Events
{
    public const long BaseTimeMs = 1_780_000_000_000;

    public static EdgeEvent Decision(
        string deviceId,
        long seq,
        long entitlementId,
        string outcome = "admit",
        string mode = "offline",
        bool singleEntry = true,
        string? nonce = null,
        long? deviceTimeMs = null) => new()
        {
            EventId = $"{deviceId}:{seq}",
            DeviceId = deviceId,
            DeviceClass = "agent",
            BootId = "boot-1",
            Seq = seq,
            Kind = EventKinds.Decision,
            DeviceTimeMs = deviceTimeMs ?? BaseTimeMs + seq,
            Outcome = outcome,
            Reason = outcome == "admit" ? "none" : "revoked",
            Mode = mode,
            EntitlementId = entitlementId,
            SingleEntry = singleEntry,
            Nonce = nonce,
        };

    public static EdgeEvent Payment(string deviceId, long seq, long amountMinor) => new()
    {
        EventId = $"{deviceId}:{seq}",
        DeviceId = deviceId,
        DeviceClass = "agent",
        BootId = "boot-1",
        Seq = seq,
        Kind = EventKinds.Payment,
        DeviceTimeMs = BaseTimeMs + seq,
        AmountMinor = amountMinor,
        Currency = "EUR",
    };

    public static EdgeEvent Cancellation(string deviceId, long seq, long entitlementId, long deviceTimeMs) => new()
    {
        EventId = $"{deviceId}:{seq}",
        DeviceId = deviceId,
        DeviceClass = "agent",
        BootId = "boot-1",
        Seq = seq,
        Kind = EventKinds.Entitlement,
        DeviceTimeMs = deviceTimeMs,
        EntitlementId = entitlementId,
        Detail = "cancelled",
    };

    /// <summary>Returns <paramref name="count"/> admit decisions of one device, each for its own entitlement.</summary>
    public static List<EdgeEvent> Admits(string deviceId, int count, int firstSeq = 1) =>
        Enumerable.Range(firstSeq, count)
            .Select(seq => Decision(deviceId, seq, entitlementId: seq, singleEntry: false))
            .ToList();
}
