namespace EdgeIoT.Hub.Checks;

/// <summary>
/// A wristband credential bound to one chip: the 117 credential bytes, the NFC Forum Type 2 tag
/// data to write from page 4 (NDEF TLV, message, terminator TLV), the entitlement and the expiry
/// in Unix milliseconds.
/// </summary>
public sealed record IssuedWristband(byte[] Credential, byte[] TagData, uint EntitlementId, long ExpiresAtMs);
