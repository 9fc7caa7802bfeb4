using System.Globalization;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Ledger.Storage;

/// <summary>One validated event as the stores write it: the indexed columns plus the full JSON body.</summary>
public sealed record LedgerEventRow
{
    public required string EventId { get; init; }

    public required string DeviceId { get; init; }

    public required string Kind { get; init; }

    /// <summary>Reconciliation lane name: "payments", "entitlements", "check-ins" or "telemetry".</summary>
    public required string Lane { get; init; }

    public long? EntitlementId { get; init; }

    public string? Outcome { get; init; }

    public string? Mode { get; init; }

    public required long DeviceTimeMs { get; init; }

    public long? HubReceivedMs { get; init; }

    public long? AmountMinor { get; init; }

    public long? DelegatorId { get; init; }

    public string? Nonce { get; init; }

    public bool? SingleEntry { get; init; }

    public string? Detail { get; init; }

    /// <summary>True on a payment the hub received after the policy's forwarding deadline.</summary>
    public bool? ForwardedLate { get; init; }

    /// <summary>The event's JSON exactly as the hub sent it, unknown fields included.</summary>
    public required string Json { get; init; }

    /// <summary>Creates the row of an event parsed from <paramref name="json"/>.</summary>
    public static LedgerEventRow From(EdgeEvent edgeEvent, string json)
    {
        ArgumentNullException.ThrowIfNull(edgeEvent);
        ArgumentNullException.ThrowIfNull(json);

        return new LedgerEventRow
        {
            EventId = edgeEvent.EventId,
            DeviceId = edgeEvent.DeviceId,
            Kind = edgeEvent.Kind,
            Lane = LaneName(edgeEvent.Lane),
            EntitlementId = edgeEvent.EntitlementId,
            Outcome = edgeEvent.Outcome,
            Mode = edgeEvent.Mode,
            DeviceTimeMs = edgeEvent.DeviceTimeMs,
            HubReceivedMs = edgeEvent.HubReceivedMs,
            AmountMinor = edgeEvent.AmountMinor,
            DelegatorId = edgeEvent.DelegatorId,
            Nonce = edgeEvent.Nonce,
            SingleEntry = edgeEvent.SingleEntry,
            Detail = edgeEvent.Detail,
            ForwardedLate = edgeEvent.ForwardedLate,
            Json = json,
        };
    }

    private static string LaneName(Lane lane) => lane switch
    {
        Protocol.Messaging.Lane.Payments => "payments",
        Protocol.Messaging.Lane.Entitlements => "entitlements",
        Protocol.Messaging.Lane.CheckIns => "check-ins",
        Protocol.Messaging.Lane.Telemetry => "telemetry",
        _ => ((int)lane).ToString(CultureInfo.InvariantCulture),
    };
}
