using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Hub.Checks;

/// <summary>
/// Issues session and delegated tokens with the current edge key, and passes and wristband
/// credentials with the event key.
/// Every issuance is recorded in the audit log.
/// </summary>
public sealed class TokenService(KeyRing keys, HubOptions options, TimeProvider time, AuditLog audit)
{
    /// <summary>
    /// Issues a token for the entitlement and returns its QR text and expiry. A nonzero
    /// <paramref name="delegatorId"/> issues a delegated token valid until the event end.
    /// </summary>
    public IssuedToken Issue(Entitlement entitlement, uint delegatorId = 0)
    {
        ArgumentNullException.ThrowIfNull(entitlement);

        if (delegatorId != 0)
        {
            return IssueDelegated(entitlement, delegatorId, options.EventEnd ?? keys.EventKey.NotAfter);
        }

        DateTimeOffset now = time.GetUtcNow();
        TokenClaims claims = ClaimsFor(entitlement, TokenType.Session, options.Tokens.LifetimeSeconds);
        string qrText = TokenIssuer.IssueQrText(claims, keys.SigningKeyAt(now), now);
        AuditIssuance(claims, delegatorId: 0);
        return new IssuedToken(qrText, entitlement.Id, entitlement.Role, claims.ExpiresAtUnixSeconds * 1000L);
    }

    /// <summary>
    /// Issues an assistant's delegated token. With <see cref="CertificateForm.Embedded"/> the
    /// delegation certificate follows the token (209 bytes, QR version 13 at level Q), so a gate
    /// that has not seen the certificate can check it offline. With
    /// <see cref="CertificateForm.Reference"/> a 4-byte reference follows instead (114 bytes, QR
    /// version 9), and gates take the certificate from the delegation list the hub publishes.
    /// </summary>
    public IssuedToken IssueDelegated(
        Entitlement assistant, uint creatorId, DateTimeOffset delegationEnd, CertificateForm form = CertificateForm.Embedded)
    {
        ArgumentNullException.ThrowIfNull(assistant);

        DateTimeOffset now = time.GetUtcNow();
        byte[] certificate = SignDelegation(assistant, creatorId, delegationEnd);
        long remaining = BigEndianNotAfter(certificate) - now.ToUnixTimeSeconds();
        int lifetime = (int)Math.Clamp(remaining, TokenLayout.MinLifetimeSeconds, options.Tokens.LifetimeSeconds);
        TokenClaims claims = ClaimsFor(assistant, TokenType.Delegated, lifetime);
        claims.DelegatorId = creatorId;
        byte[] token = TokenIssuer.Issue(claims, keys.SigningKeyAt(now), now);
        AuditIssuance(claims, creatorId);

        byte[] suffix = form == CertificateForm.Reference ? ReferenceBytes(certificate) : certificate;
        string qrText = QrText.Encode([.. token, .. suffix]);
        return new IssuedToken(qrText, assistant.Id, assistant.Role, claims.ExpiresAtUnixSeconds * 1000L);
    }

    /// <summary>
    /// Issues an event-long pass for a phone, with the secret its rotating code derives from.
    /// The pass lasts until the event end (at most about 18 h, the 16-bit lifetime).
    /// </summary>
    public IssuedPass IssuePass(Entitlement entitlement)
    {
        ArgumentNullException.ThrowIfNull(entitlement);

        DateTimeOffset now = time.GetUtcNow();
        int lifetime = EventLongLifetime(now, "a pass");
        TokenClaims claims = ClaimsFor(entitlement, TokenType.Pass, lifetime);
        byte[] pass = TokenIssuer.IssuePass(claims, keys.EventKey, now);
        AuditIssuance(claims, delegatorId: 0);
        byte[] secret = RotatingCode.DeriveSecret(keys.RotatingCodeKey, pass);
        return new IssuedPass(pass, secret, entitlement.Id, claims.ExpiresAtUnixSeconds * 1000L);
    }

    /// <summary>
    /// Issues an event-long wristband credential bound to the 7-byte UID of the chip the
    /// encoding station will write it to. Like a pass it lasts until the event end (at most
    /// about 18 h) and is revoked through the entitlement epoch.
    /// </summary>
    public IssuedWristband IssueWristband(Entitlement entitlement, byte[] chipUid)
    {
        ArgumentNullException.ThrowIfNull(entitlement);
        ArgumentNullException.ThrowIfNull(chipUid);

        DateTimeOffset now = time.GetUtcNow();
        int lifetime = EventLongLifetime(now, "a wristband");
        TokenClaims claims = ClaimsFor(entitlement, TokenType.Wristband, lifetime);
        byte[] credential = TokenIssuer.IssueWristband(claims, keys.EventKey, now, chipUid);
        AuditIssuance(claims, delegatorId: 0);

        byte[] tagData = EdgeIoT.Firmware.Nfc.NdefToken.EncodeTagData(credential);
        return new IssuedWristband(credential, tagData, entitlement.Id, claims.ExpiresAtUnixSeconds * 1000L);
    }

    /// <summary>
    /// Signs the delegation certificate that binds the assistant to <paramref name="creatorId"/>
    /// with the assistant's role, zone and spend limit until <paramref name="delegationEnd"/>,
    /// which is cut to the event key's end.
    /// </summary>
    public byte[] SignDelegation(Entitlement assistant, uint creatorId, DateTimeOffset delegationEnd)
    {
        ArgumentNullException.ThrowIfNull(assistant);

        DateTimeOffset end = delegationEnd < keys.EventKey.NotAfter ? delegationEnd : keys.EventKey.NotAfter;
        var certificate = new DelegationCertificate
        {
            EventId = options.EventId,
            AssistantId = assistant.Id,
            CreatorId = creatorId,
            Role = assistant.Role,
            Zone = assistant.Zone,
            SpendLimitMinor = assistant.SpendAllowanceMinor,
            NotBeforeUnixSeconds = checked((uint)keys.EventKey.NotBefore.ToUnixTimeSeconds()),
            NotAfterUnixSeconds = checked((uint)end.ToUnixTimeSeconds()),
        };

        // Ed25519 is deterministic, so every token of one assistant carries the same certificate bytes.
        return TokenIssuer.SignDelegation(certificate, keys.EventKey);
    }

    private int EventLongLifetime(DateTimeOffset now, string credential)
    {
        long untilEnd = keys.EventKey.NotAfter.ToUnixTimeSeconds() - now.ToUnixTimeSeconds();
        if (untilEnd < TokenLayout.MinLifetimeSeconds)
        {
            throw new InvalidOperationException(
                $"The event key stops signing at {keys.EventKey.NotAfter:O}; too late to issue {credential}.");
        }

        return (int)Math.Min(untilEnd, TokenLayout.MaxPassLifetimeSeconds);
    }

    private void AuditIssuance(TokenClaims claims, uint delegatorId) =>
        audit.Append(AuditKinds.Issuance, AuditActors.Hub, new
        {
            type = claims.Type.ToString(),
            entitlementId = claims.EntitlementId,
            tokenId = claims.TokenId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            kid = claims.KeyId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            epoch = claims.Epoch,
            spendAllowanceMinor = claims.SpendAllowanceMinor,
            delegatorId = delegatorId == 0 ? (uint?)null : delegatorId,
            expiresAtMs = claims.ExpiresAtUnixSeconds * 1000L,
        });

    private static byte[] ReferenceBytes(byte[] certificate)
    {
        byte[] reference = new byte[DelegationCertificate.ReferenceLength];
        BigEndian.WriteUInt32(reference, 0, DelegationCertificate.ComputeReference(certificate));
        return reference;
    }

    private static long BigEndianNotAfter(byte[] certificate) =>
        BigEndian.ReadUInt32(certificate, DelegationCertificate.NotAfterOffset);

    private TokenClaims ClaimsFor(Entitlement entitlement, TokenType type, int lifetimeSeconds) => new()
    {
        Type = type,
        EventId = options.EventId,
        LifetimeSeconds = (ushort)lifetimeSeconds,
        EntitlementId = entitlement.Id,
        Epoch = entitlement.Epoch,
        Role = entitlement.Role,
        Zone = entitlement.Zone,
        SpendAllowanceMinor = entitlement.SpendAllowanceMinor,
    };
}
