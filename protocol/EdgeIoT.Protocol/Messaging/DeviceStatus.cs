namespace EdgeIoT.Protocol.Messaging;

/// <summary>Retained status of a device; the hub shows it and the broker publishes the offline form as last will.</summary>
public sealed record DeviceStatus
{
    public required string DeviceId { get; init; }

    public required string DeviceClass { get; init; }

    /// <summary>"online" or "offline".</summary>
    public required string State { get; init; }

    public long TimeMs { get; init; }

    public string? BootId { get; init; }

    /// <summary>Why the device last started (firmware: "power_on", "watchdog", "brownout", "panic", "software", "deep_sleep", "unknown").</summary>
    public string? ResetReason { get; init; }

    public uint? KeyListVersion { get; init; }

    public uint? SnapshotVersion { get; init; }

    /// <summary>
    /// Clock state: "synchronized", "hub_step" while the device keeps its own time against a hub
    /// clock step, or "unreliable" without a recent time beacon. Null from devices that do not report it.
    /// </summary>
    public string? ClockState { get; init; }
}

/// <summary>Telemetry sample from a device.</summary>
public sealed record DeviceTelemetry
{
    public required string DeviceId { get; init; }

    public long TimeMs { get; init; }

    /// <summary>Events stored on the device and not yet acknowledged by the hub.</summary>
    public int OutboxDepth { get; init; }

    public bool HubConnected { get; init; }

    /// <summary>Device clock minus hub clock, in milliseconds.</summary>
    public long ClockOffsetMs { get; init; }

    /// <summary>Version of the key list the device holds; absent from devices that do not report it.</summary>
    public uint? KeyListVersion { get; init; }

    /// <summary>Version of the entitlement snapshot the device holds; absent when not reported.</summary>
    public uint? SnapshotVersion { get; init; }

    /// <summary>Events the hub rejected too often, kept in the device's dead-letter table; absent when not reported.</summary>
    public int? DeadLetters { get; init; }
}

/// <summary>Readable notice of a scan; carries the token id, never the token text.</summary>
public sealed record ScanNotice
{
    public required string DeviceId { get; init; }

    public long TimeMs { get; init; }

    /// <summary>"qr" or "nfc".</summary>
    public required string Source { get; init; }

    public int Length { get; init; }

    public string? TokenId { get; init; }
}

/// <summary>
/// Hub time beacon: the hub's clock in Unix milliseconds, signed by the hub's current edge key
/// (TimeBeaconSignature in the firmware core). Devices reject a beacon without a valid signature.
/// </summary>
public sealed record TimeBeacon
{
    public long HubTimeMs { get; init; }

    /// <summary>Clock epoch: the hub raises it when its clock goes back, so devices accept that step.</summary>
    public uint Epoch { get; init; }

    /// <summary>Key id of the signing edge key, 16 hex digits.</summary>
    public string? Kid { get; init; }

    /// <summary>Ed25519 signature over TimeBeaconSignature.Message, 128 hex digits.</summary>
    public string? Signature { get; init; }
}

/// <summary>Online check request from a gate: verify and consume a ticket at the hub.</summary>
public sealed record CheckRequest
{
    public required string DeviceId { get; init; }

    /// <summary>Random nonce; a fallback offline decision reuses it so the ledger can pair them.</summary>
    public required string Nonce { get; init; }

    /// <summary>Token in QR text form.</summary>
    public required string Token { get; init; }

    public byte Zone { get; init; }

    /// <summary>
    /// UID of the NFC chip the token was read from, 14 hex digits; absent for a QR scan. A
    /// wristband credential is admitted only with the UID it was signed for.
    /// </summary>
    public string? ChipUid { get; init; }
}

/// <summary>The hub's answer to a <see cref="CheckRequest"/>.</summary>
public sealed record CheckResponse
{
    public required string Nonce { get; init; }

    /// <summary>"admit" or "deny".</summary>
    public required string Outcome { get; init; }

    public required string Reason { get; init; }

    /// <summary>Policy label when the hub decided by the offline policy during a ledger outage; absent otherwise.</summary>
    public string? PolicyVersion { get; init; }

    /// <summary>Name of the policy rule that decided, as in <see cref="EdgeEvent.PolicyRule"/>.</summary>
    public string? PolicyRule { get; init; }

    /// <summary>Inputs the hub's policy decided from, as in <see cref="EdgeEvent.PolicyInputs"/>.</summary>
    public string? PolicyInputs { get; init; }
}
