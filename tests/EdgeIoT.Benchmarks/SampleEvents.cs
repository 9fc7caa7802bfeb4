using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Benchmarks;

/// <summary>Events shaped like a gate's decisions and payments, for the queue benchmarks.</summary>
internal static class SampleEvents
{
    public static EdgeEvent Decision(string deviceId, long seq) => new()
    {
        EventId = $"{deviceId}:{seq}",
        DeviceId = deviceId,
        DeviceClass = "agent",
        BootId = "0123456789abcdef",
        Seq = seq,
        Kind = seq % 10 == 0 ? EventKinds.Payment : EventKinds.Decision,
        DeviceTimeMs = 1_796_000_000_000 + seq,
        HubReceivedMs = 1_796_000_000_100 + seq,
        Outcome = seq % 10 == 0 ? null : "admit",
        Reason = seq % 10 == 0 ? null : "none",
        Mode = "offline",
        PolicyVersion = "venue-default@1#0123456789abcdef",
        PolicyRule = "paid-guests",
        EntitlementId = seq,
        TokenId = seq.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
        Role = "guest",
        LatencyMicros = 250,
        AmountMinor = seq % 10 == 0 ? 450 : null,
        Currency = seq % 10 == 0 ? "EUR" : null,
        SingleEntry = true,
        Nonce = seq.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
    };
}
