namespace EdgeIoT.Hub.Checks;

/// <summary>
/// A pass for a phone: the signed pass bytes, the 32-byte secret its rotating code derives
/// from, the entitlement and the pass expiry in Unix milliseconds.
/// </summary>
public sealed record IssuedPass(byte[] Pass, byte[] Secret, uint EntitlementId, long ExpiresAtMs);
