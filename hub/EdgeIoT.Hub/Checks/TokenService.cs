using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Hub.Checks;

/// <summary>Issues session and delegated tokens for entitlements with the current edge key.</summary>
public sealed class TokenService(KeyRing keys, HubOptions options, TimeProvider time, AuditLog audit)
{
    /// <summary>Issues a token for the entitlement and returns its QR text and expiry.</summary>
    public IssuedToken Issue(Entitlement entitlement, uint delegatorId = 0)
    {
        ArgumentNullException.ThrowIfNull(entitlement);

        DateTimeOffset now = time.GetUtcNow();
        var claims = new TokenClaims
        {
            Type = delegatorId == 0 ? TokenType.Session : TokenType.Delegated,
            EventId = options.EventId,
            LifetimeSeconds = (ushort)options.Tokens.LifetimeSeconds,
            EntitlementId = entitlement.Id,
            Epoch = entitlement.Epoch,
            Role = entitlement.Role,
            Zone = entitlement.Zone,
            SpendAllowanceMinor = entitlement.SpendAllowanceMinor,
            DelegatorId = delegatorId,
        };

        string qrText = TokenIssuer.IssueQrText(claims, keys.SigningKeyAt(now), now);
        long expiresAtMs = (claims.ExpiresAtUnixSeconds * 1000L);
        audit.Append(AuditKinds.Issuance, AuditActors.Hub, new
        {
            type = claims.Type.ToString(),
            entitlementId = entitlement.Id,
            tokenId = claims.TokenId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            kid = claims.KeyId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            epoch = claims.Epoch,
            spendAllowanceMinor = claims.SpendAllowanceMinor,
            delegatorId = delegatorId == 0 ? (uint?)null : delegatorId,
            expiresAtMs,
        });
        return new IssuedToken(qrText, entitlement.Id, entitlement.Role, expiresAtMs);
    }
}
