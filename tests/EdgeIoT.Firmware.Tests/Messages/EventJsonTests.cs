using CsCheck;
using EdgeIoT.Firmware.Messages;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Firmware.Tests.Messages;

public class EventJsonTests
{
    [Fact]
    public void Write_EveryField_DeserializesAsSameEdgeEvent()
    {
        var source = new FirmwareEvent
        {
            DeviceId = "gate-7",
            BootId = "b00t",
            Seq = 42,
            Kind = "decision",
            DeviceTimeMs = 1_800_000_000_123,
            Outcome = "admit",
            Reason = "none",
            Mode = "offline",
            PolicyVersion = "venue-default@1#0011223344556677",
            PolicyRule = "paid-guests",
            EntitlementId = 4_000_000_000,
            TokenId = "00ff00ff00ff00ff",
            Role = "creator_assistant",
            DelegatorId = 9,
            LatencyMicros = 1234,
            AmountMinor = 500,
            Currency = "EUR",
            OfferId = 3,
            HasSingleEntry = true,
            SingleEntry = true,
            Nonce = "n1",
            Detail = "quote \" backslash \\ tab \t newline \n nul \u0000 é 😀",
        };

        EdgeEvent parsed = ProtocolJson.Deserialize<EdgeEvent>(EventJson.Write(source));

        Assert.Equal(EdgeEvent.SchemaVersion, parsed.Schema);
        Assert.Equal("gate-7:42", parsed.EventId);
        Assert.Equal("gate-7", parsed.DeviceId);
        Assert.Equal("firmware", parsed.DeviceClass);
        Assert.Equal("b00t", parsed.BootId);
        Assert.Equal(42, parsed.Seq);
        Assert.Equal("decision", parsed.Kind);
        Assert.Equal(1_800_000_000_123, parsed.DeviceTimeMs);
        Assert.Equal("admit", parsed.Outcome);
        Assert.Equal("none", parsed.Reason);
        Assert.Equal("offline", parsed.Mode);
        Assert.Equal("venue-default@1#0011223344556677", parsed.PolicyVersion);
        Assert.Equal("paid-guests", parsed.PolicyRule);
        Assert.Equal(4_000_000_000, parsed.EntitlementId);
        Assert.Equal("00ff00ff00ff00ff", parsed.TokenId);
        Assert.Equal("creator_assistant", parsed.Role);
        Assert.Equal(9, parsed.DelegatorId);
        Assert.Equal(1234, parsed.LatencyMicros);
        Assert.Equal(500, parsed.AmountMinor);
        Assert.Equal("EUR", parsed.Currency);
        Assert.Equal(3, parsed.OfferId);
        Assert.True(parsed.SingleEntry);
        Assert.Equal("n1", parsed.Nonce);
        Assert.Equal(source.Detail, parsed.Detail);
        Assert.Null(parsed.HubReceivedMs);
    }

    [Fact]
    public void Write_AbsentFields_AreLeftOut()
    {
        var source = new FirmwareEvent { DeviceId = "d", BootId = "b", Seq = 1, Kind = "status", DeviceTimeMs = 5 };

        byte[] json = EventJson.Write(source);
        EdgeEvent parsed = ProtocolJson.Deserialize<EdgeEvent>(json);

        Assert.Equal(
            "{\"schema\":1,\"eventId\":\"d:1\",\"deviceId\":\"d\",\"deviceClass\":\"firmware\",\"bootId\":\"b\",\"seq\":1,\"kind\":\"status\",\"deviceTimeMs\":5}",
            System.Text.Encoding.UTF8.GetString(json));
        Assert.Null(parsed.EntitlementId);
        Assert.Null(parsed.SingleEntry);
        Assert.Null(parsed.LatencyMicros);
    }

    [Fact]
    public void Write_AnyDetailText_RoundTrips()
    {
        Gen.String[Gen.Char['\0', '\uD7FF'], 0, 40].Sample(detail =>
        {
            var source = new FirmwareEvent { DeviceId = "d", BootId = "b", Seq = 1, Kind = "status", Detail = detail };
            EdgeEvent parsed = ProtocolJson.Deserialize<EdgeEvent>(EventJson.Write(source));
            Assert.Equal(detail, parsed.Detail);
        }, iter: 5_000);
    }
}
