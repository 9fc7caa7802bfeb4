using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Tests;

internal static class TestData
{
    public const string Header = "Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status,Seat,Zone";

    public static string Guests(params string[] rows) => Header + "\r\n" + string.Join("\r\n", rows) + "\r\n";

    public static EdgeEvent Event(string deviceId, long seq, string kind = EventKinds.Decision) => new()
    {
        EventId = $"{deviceId}:{seq}",
        DeviceId = deviceId,
        DeviceClass = "agent",
        BootId = "boot-1",
        Seq = seq,
        Kind = kind,
        DeviceTimeMs = 1_700_000_000_000 + seq,
        Outcome = kind == EventKinds.Decision ? "admit" : null,
        Reason = kind == EventKinds.Decision ? "none" : null,
        Mode = kind == EventKinds.Decision ? "offline" : null,
        AmountMinor = kind == EventKinds.Payment ? 450 : null,
        Currency = kind == EventKinds.Payment ? "EUR" : null,
    };
}
