using System.Security.Cryptography;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;

namespace EdgeIoT.Protocol.Tokens;

/// <summary>Issues signed session tokens and signed key lists.</summary>
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
        if (issuedAt < key.NotBefore || issuedAt > key.NotAfter)
        {
            throw new InvalidOperationException(
                $"Key {KeyIds.ToHex(key.KeyId)} may sign from {key.NotBefore:O} to {key.NotAfter:O}, not at {issuedAt:O}.");
        }

        claims.Version = TokenLayout.Version1;
        claims.KeyId = key.KeyId;
        claims.IssuedAtUnixSeconds = checked((uint)issuedAt.ToUnixTimeSeconds());
        claims.TokenId = RandomTokenId();

        byte[] token = TokenCodec.EncodeUnsigned(claims);
        key.Sign(token.AsSpan(0, TokenLayout.SignedLength), token.AsSpan(TokenLayout.SignatureOffset));

        return token;
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

    private static ulong RandomTokenId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes);
    }
}
