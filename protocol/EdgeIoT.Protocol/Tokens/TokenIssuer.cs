using System.Security.Cryptography;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;

namespace EdgeIoT.Protocol.Tokens;

/// <summary>Issues signed session tokens, passes, wristband credentials and signed key lists.</summary>
public static class TokenIssuer
{
    /// <summary>
    /// Fills in kid, issued-at and a random token id, then signs. The claims' lifetime must
    /// be 30 to 300 s. Returns the 110-byte binary token.
    /// </summary>
    public static byte[] Issue(TokenClaims claims, SigningKey key, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan((int)claims.LifetimeSeconds, TokenLayout.MinLifetimeSeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan((int)claims.LifetimeSeconds, TokenLayout.MaxLifetimeSeconds);
        RequireSigningWindow(key, issuedAt);

        return SignClaims(claims, key, issuedAt);
    }

    private static byte[] SignClaims(TokenClaims claims, SigningKey key, DateTimeOffset issuedAt)
    {
        byte[] token = EncodeClaims(claims, key, issuedAt);
        key.Sign(token.AsSpan(0, TokenLayout.SignedLength), token.AsSpan(TokenLayout.SignatureOffset));

        return token;
    }

    /// <summary>
    /// Issues an event-long pass (type 3) with the event key, for a phone that shows it with
    /// a rotating code. The lifetime may reach 65,535 s; the caller keeps it within the event.
    /// </summary>
    public static byte[] IssuePass(TokenClaims claims, SigningKey eventKey, DateTimeOffset issuedAt)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(eventKey);
        ArgumentOutOfRangeException.ThrowIfLessThan((int)claims.LifetimeSeconds, TokenLayout.MinLifetimeSeconds);
        RequireSigningWindow(eventKey, issuedAt);

        claims.Type = TokenType.Pass;
        return SignClaims(claims, eventKey, issuedAt);
    }

    /// <summary>
    /// Issues an event-long wristband credential (type 4) with the event key, bound to the
    /// 7-byte UID of the chip it will be written to. Returns the 117 credential bytes: the token,
    /// then the UID, with the signature over token bytes 0 to 45 followed by the UID.
    /// </summary>
    public static byte[] IssueWristband(TokenClaims claims, SigningKey eventKey, DateTimeOffset issuedAt, byte[] chipUid)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(eventKey);
        ArgumentNullException.ThrowIfNull(chipUid);
        ArgumentOutOfRangeException.ThrowIfLessThan((int)claims.LifetimeSeconds, TokenLayout.MinLifetimeSeconds);
        if (chipUid.Length != WristbandCredential.UidLength)
        {
            throw new ArgumentException($"A wristband chip UID is 7 bytes, not {chipUid.Length}.", nameof(chipUid));
        }

        RequireSigningWindow(eventKey, issuedAt);

        claims.Type = TokenType.Wristband;
        byte[] credential = WristbandCredential.Combine(EncodeClaims(claims, eventKey, issuedAt), chipUid);
        eventKey.Sign(
            WristbandCredential.SignedMessage(credential),
            credential.AsSpan(TokenLayout.SignatureOffset, TokenLayout.SignatureLength));

        return credential;
    }

    /// <summary>
    /// Signs a delegation certificate with the event key, which must cover the whole
    /// certificate window. Returns the 99 certificate bytes.
    /// </summary>
    public static byte[] SignDelegation(DelegationCertificate certificate, SigningKey eventKey)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(eventKey);
        if (certificate.NotAfterUnixSeconds < certificate.NotBeforeUnixSeconds
            || certificate.NotBeforeUnixSeconds < eventKey.NotBefore.ToUnixTimeSeconds()
            || certificate.NotAfterUnixSeconds > eventKey.NotAfter.ToUnixTimeSeconds())
        {
            throw new InvalidOperationException(
                $"Delegation window {certificate.NotBeforeUnixSeconds} to {certificate.NotAfterUnixSeconds} (Unix s) "
                + $"is empty or outside the event key window {eventKey.NotBefore:O} to {eventKey.NotAfter:O}.");
        }

        certificate.KeyId = eventKey.KeyId;
        byte[] encoded = certificate.EncodeUnsigned();
        eventKey.Sign(
            encoded.AsSpan(0, DelegationCertificate.SignedLength),
            encoded.AsSpan(DelegationCertificate.SignatureOffset));
        certificate.Encoded = encoded;

        return encoded;
    }

    /// <summary>Issues a token and returns its QR text form ("EI1:" + Base45).</summary>
    public static string IssueQrText(TokenClaims claims, SigningKey key, DateTimeOffset issuedAt) =>
        QrText.Encode(Issue(claims, key, issuedAt));

    /// <summary>Serializes and signs a key list with the venue root key.</summary>
    public static byte[] SignKeyList(KeyList keys, SigningKey venueRoot)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(venueRoot);

        byte[] unsigned = keys.EncodeUnsigned();
        byte[] signed = new byte[unsigned.Length + TokenLayout.SignatureLength];
        unsigned.CopyTo(signed, 0);
        venueRoot.Sign(unsigned, signed.AsSpan(unsigned.Length));

        return signed;
    }

    /// <summary>Builds the key-list entry that publishes <paramref name="key"/> to devices.</summary>
    public static KeyEntry ToKeyEntry(SigningKey key, bool revoked = false)
    {
        ArgumentNullException.ThrowIfNull(key);

        return new KeyEntry
        {
            KeyId = key.KeyId,
            PublicKey = key.PublicKey,
            NotBeforeUnixSeconds = checked((uint)key.NotBefore.ToUnixTimeSeconds()),
            NotAfterUnixSeconds = checked((uint)key.NotAfter.ToUnixTimeSeconds()),
            Revoked = revoked,
        };
    }

    /// <summary>Builds the key-list entry that publishes the event key, which signs passes and delegations.</summary>
    public static KeyEntry ToEventKeyEntry(SigningKey eventKey, bool revoked = false)
    {
        KeyEntry entry = ToKeyEntry(eventKey, revoked);
        entry.EventKey = true;
        return entry;
    }

    private static byte[] EncodeClaims(TokenClaims claims, SigningKey key, DateTimeOffset issuedAt)
    {
        claims.Version = TokenLayout.Version1;
        claims.KeyId = key.KeyId;
        claims.IssuedAtUnixSeconds = checked((uint)issuedAt.ToUnixTimeSeconds());
        claims.TokenId = RandomTokenId();

        return TokenCodec.EncodeUnsigned(claims);
    }

    private static void RequireSigningWindow(SigningKey key, DateTimeOffset issuedAt)
    {
        if (issuedAt < key.NotBefore || issuedAt > key.NotAfter)
        {
            throw new InvalidOperationException(
                $"Key {KeyIds.ToHex(key.KeyId)} may sign from {key.NotBefore:O} to {key.NotAfter:O}, not at {issuedAt:O}.");
        }
    }

    private static ulong RandomTokenId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }
}
