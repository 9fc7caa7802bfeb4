using System.Text.Json.Serialization;

namespace EdgeIoT.Protocol.Messaging;

/// <summary>
/// One event produced at the edge: a gate decision, a payment or a status change. It is
/// stored on the device first, then at the hub, then in the central ledger, and
/// <see cref="EventId"/> makes every step idempotent. Fields that do not apply to a kind
/// are omitted from the JSON. docs/mqtt.md lists every field.
/// </summary>
public sealed record EdgeEvent
{
    public const int SchemaVersion = 1;

    public int Schema { get; init; } = SchemaVersion;

    /// <summary>Idempotency key: "{deviceId}:{seq}", unique per device for ever.</summary>
    public required string EventId { get; init; }

    public required string DeviceId { get; init; }

    /// <summary>"agent" (Raspberry Pi) or "firmware" (ESP32 controller).</summary>
    public required string DeviceClass { get; init; }

    /// <summary>Random id of the device boot that produced the event.</summary>
    public required string BootId { get; init; }

    /// <summary>Monotonic per-device sequence number, persisted across restarts.</summary>
    public required long Seq { get; init; }

    public required string Kind { get; init; }

    /// <summary>Device wall-clock time in Unix milliseconds, as the device believed it.</summary>
    public required long DeviceTimeMs { get; init; }

    /// <summary>Hub receipt time in Unix milliseconds; set by the hub, absent on the wire from devices.</summary>
    public long? HubReceivedMs { get; init; }

    /// <summary>"admit" or "deny" for decisions.</summary>
    public string? Outcome { get; init; }

    /// <summary>Reject reason code (see RejectReasons), "none" for an admit.</summary>
    public string? Reason { get; init; }

    /// <summary>"online" when the hub decided, "offline" when the device's policy did.</summary>
    public string? Mode { get; init; }

    /// <summary>Policy id and content hash behind an offline decision, e.g. "venue-default@3#1a2b3c4d".</summary>
    public string? PolicyVersion { get; init; }

    /// <summary>Name of the policy rule that decided.</summary>
    public string? PolicyRule { get; init; }

    /// <summary>
    /// Inputs of an offline policy decision, comma-separated in the column order of the policy
    /// case table: role, tier, payment, entitlementKnown, offlineSeconds, deviceOfflineAdmits,
    /// spendUsedMinor, spendRequestedMinor, spendAllowanceMinor, deviceOfflineSpendMinor.
    /// </summary>
    public string? PolicyInputs { get; init; }

    public long? EntitlementId { get; init; }

    /// <summary>Token id (jti) as 16 hex digits.</summary>
    public string? TokenId { get; init; }

    public string? Role { get; init; }

    /// <summary>Creator entitlement behind a delegated credential, for payouts.</summary>
    public long? DelegatorId { get; init; }

    /// <summary>Scan bytes in to gate command out, in microseconds.</summary>
    public long? LatencyMicros { get; init; }

    public long? AmountMinor { get; init; }

    public string? Currency { get; init; }

    public int? OfferId { get; init; }

    /// <summary>True when the entitlement admits once; the ledger flags two admits of such a ticket.</summary>
    public bool? SingleEntry { get; init; }

    /// <summary>Nonce of the online check this decision belongs to; an offline fallback reuses it.</summary>
    public string? Nonce { get; init; }

    /// <summary>
    /// Set by the hub on a payment it received later after the device made it than the offline
    /// policy's forwardPaymentsWithinSeconds; absent otherwise.
    /// </summary>
    public bool? ForwardedLate { get; init; }

    /// <summary>Free text for status events, such as "gate door forced".</summary>
    public string? Detail { get; init; }

    [JsonIgnore]
    public Lane Lane => EventKinds.LaneOf(Kind);
}
