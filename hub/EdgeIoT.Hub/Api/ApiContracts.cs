using EdgeIoT.Hub.Checks;
using EdgeIoT.Hub.Keys;

namespace EdgeIoT.Hub.Api;

/// <summary>Body of POST /api/devices.</summary>
public sealed record EnrollDeviceRequest(string? DeviceId, string? DeviceClass, int Zone = 0);

/// <summary>
/// Credentials and connection facts for a newly enrolled device. <c>RotatingCodeKey</c> is the
/// base64 event secret a gate needs to check the rotating codes of passes; keep it like the password.
/// </summary>
public sealed record EnrollDeviceResponse(
    string DeviceId,
    string MqttUsername,
    string MqttPassword,
    string Venue,
    uint EventId,
    string RootPublicKey,
    int MqttPort,
    string? RotatingCodeKey = null);

/// <summary>Body of POST /api/checkin.</summary>
public sealed record CheckinRequest(string? OrderCode);

/// <summary>Body of POST /api/passes.</summary>
public sealed record PassRequest(string? OrderCode);

/// <summary>
/// A pass for a guest app, both byte fields base64: the signed pass and the 32-byte secret of
/// its RFC 6238 code (HMAC-SHA-256, <c>Digits</c> digits, <c>StepSeconds</c> steps from Unix time 0).
/// The app appends the step and code to the pass and shows "EI1:" + Base45 of the result.
/// </summary>
public sealed record PassResponse(
    string Pass, string Secret, int StepSeconds, int Digits, uint EntitlementId, long ExpiresAtMs);

/// <summary>Body of POST /api/wristbands: the guest's order code and the chip UID as 14 hex digits.</summary>
public sealed record WristbandRequest(string? OrderCode, string? Uid);

/// <summary>
/// A wristband credential for the encoding station, both byte fields base64: the 117-byte
/// credential and the Type 2 tag data to write from page 4 of the chip whose UID was sent.
/// </summary>
public sealed record WristbandResponse(string Credential, string TagData, uint EntitlementId, long ExpiresAtMs);

/// <summary>
/// Response of GET /api/keys: the venue root public key and the root-signed key list, base64,
/// as devices receive them, and each key's signing window and state for operators.
/// </summary>
public sealed record KeyListResponse(
    string Venue,
    uint EventId,
    uint KeyListVersion,
    string RootPublicKey,
    string SignedKeyList,
    IReadOnlyList<KeyInfo> Keys);

/// <summary>A token in QR text form for an entitlement; role is the GuestRole name.</summary>
public sealed record TokenResponse(string Token, uint EntitlementId, string Role, long ExpiresAtMs);

/// <summary>Body of POST /api/walkins/otp.</summary>
public sealed record OtpRequest(string? Phone);

/// <summary>Body of POST /api/walkins/verify; the spend limit is in minor currency units.</summary>
/// <remarks>
/// <c>RequestId</c> is the client's own random id for this verify. A retry with the same phone,
/// code and request id, after a reply was lost, gets the walk-in the first verify created.
/// </remarks>
public sealed record OtpVerifyRequest(string? Phone, string? Code, long SpendLimitMinor = 0, string? RequestId = null);

/// <summary>Body of POST /api/creators/{orderCode}/assistants.</summary>
/// <summary>
/// Request to delegate to an assistant. <paramref name="SpendLimitMinor"/> is what the assistant
/// may take in sales for the creator, in minor units; 0 or absent means the assistant cannot sell.
/// </summary>
public sealed record AssistantRequest(string? Name, long? SpendLimitMinor = null);

public sealed record AssistantResponse(uint AssistantEntitlementId, long ExpiresAtMs);

/// <summary>Response of GET /api/status.</summary>
public sealed record StatusResponse(
    string Venue,
    uint EventId,
    uint SnapshotVersion,
    uint KeyListVersion,
    IReadOnlyList<DeviceStatusItem> Devices,
    LaneCounts Lanes,
    LedgerStatusItem Ledger)
{
    /// <summary>Online checks since start with the p50 and p99 of the recent ones.</summary>
    public CheckLatency? Checks { get; init; }

    /// <summary>Kid (hex) of the edge key that signs now.</summary>
    public string? SigningKey { get; init; }

    /// <summary>Seconds since the signing key started signing.</summary>
    public long KeyAgeSeconds { get; init; }

    public string? LedgerUrl { get; init; }

    public string? HubId { get; init; }

    /// <summary>The hub's clock when it answered, so a client can compute last-seen ages.</summary>
    public long NowMs { get; init; }

    /// <summary>Whether venue time follows the hub's wall clock; null when the hub is not running.</summary>
    public HubClockStatus? Clock { get; init; }
}

/// <summary>
/// The hub clock in the status response. <c>State</c> is <c>synchronized</c> while venue time
/// follows the wall clock and <c>hub_step</c> while it holds a wall clock step, which means the
/// hub's date or time is wrong. <c>WallClockDifferenceMs</c> is wall clock minus venue time, and
/// <c>HeldMs</c> how long the step has been held (it is adopted after 320 s).
/// </summary>
public sealed record HubClockStatus(string State, long WallClockDifferenceMs, long HeldMs);

/// <summary>A device in the status response; <c>LastSeenMs</c> is 0 until the device was first seen.</summary>
public sealed record DeviceStatusItem(string DeviceId, string DeviceClass, string State, long LastSeenMs);

/// <summary>Unsent events per reconciliation lane, plus those moved to the dead-letter state.</summary>
public sealed record LaneCounts(long Payments, long Entitlements, long CheckIns, long Telemetry, long DeadLetters);

/// <summary>The ledger link in the status response; <c>LastSuccessMs</c> is 0 until the first delivered batch.</summary>
public sealed record LedgerStatusItem(bool Reachable, long LastSuccessMs, long Sent, string? LastError);

/// <summary>
/// One entitlement in GET /api/entitlements. Role is the GuestRole name, and tier and payment
/// status are lower case as in the guest CSV. The order code is null for walk-ins and assistants.
/// </summary>
public sealed record EntitlementItem(
    uint EntitlementId,
    string? OrderCode,
    string Role,
    string Tier,
    string PaymentStatus,
    bool SingleEntry,
    bool Cancelled);
