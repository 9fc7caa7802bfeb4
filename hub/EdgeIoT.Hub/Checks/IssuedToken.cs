using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Hub.Checks;

/// <summary>A freshly issued token in QR text form, with its entitlement, role and expiry in Unix milliseconds.</summary>
public sealed record IssuedToken(string Token, uint EntitlementId, GuestRole Role, long ExpiresAtMs);
