namespace EdgeIoT.Protocol.Messaging;

/// <summary>
/// A device's request to receive the signed key list and the delegation list again, sent on
/// its own keys/request topic after a scan was rejected as unknown_kid or delegation_unknown.
/// The hub replies on the device's keys and delegations topics.
/// </summary>
public sealed record KeyResyncRequest
{
    public required string DeviceId { get; init; }

    /// <summary>Reject reason code that triggered the request: unknown_kid or delegation_unknown.</summary>
    public required string Reason { get; init; }

    /// <summary>Key list version installed on the device; 0 when it has none.</summary>
    public uint KeyListVersion { get; init; }

    /// <summary>Kid of the rejected token as 16 hex digits, when the token could be decoded.</summary>
    public string? Kid { get; init; }
}
