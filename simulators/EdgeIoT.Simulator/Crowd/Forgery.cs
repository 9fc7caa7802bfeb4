using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Simulator.Crowd;

/// <summary>Codes that bad actors bring: forged ones and ones from another event.</summary>
public static class Forgery
{
    /// <summary>
    /// What an attacker with one genuine ticket can do: change its claims (here, upgrade the
    /// role to staff) and sign again with a key of their own. The venue's key id stays, so the
    /// token parses, names a known key, and fails only at the signature check.
    /// </summary>
    public static string UpgradeToStaff(string genuineQrText)
    {
        if (QrText.TryDecode(genuineQrText, out byte[] token) != Firmware.Verification.RejectReason.None)
        {
            throw new ArgumentException("The code to forge from is not a valid token text.", nameof(genuineQrText));
        }

        token[TokenLayout.RoleOffset] = (byte)GuestRole.Staff;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using SigningKey forger = SigningKey.Generate(now.AddHours(-1), now.AddHours(1));
        forger.Sign(token.AsSpan(0, TokenLayout.SignedLength), token.AsSpan(TokenLayout.SignatureOffset));
        return QrText.Encode(token);
    }

    /// <summary>
    /// A valid token of another event (event id <paramref name="otherEventId"/>), signed by
    /// that event's own key, which this venue's key list never contains.
    /// </summary>
    public static string OtherEventToken(uint otherEventId, uint entitlementId, DateTimeOffset now)
    {
        using SigningKey otherVenue = SigningKey.Generate(now.AddHours(-1), now.AddHours(1));
        var claims = new TokenClaims
        {
            Type = TokenType.Session,
            EventId = otherEventId,
            LifetimeSeconds = 120,
            EntitlementId = entitlementId,
            Role = GuestRole.Guest,
        };
        return TokenIssuer.IssueQrText(claims, otherVenue, now);
    }
}
