using System.Buffers.Binary;
using System.Security.Cryptography;

namespace EdgeIoT.Protocol.Crypto;

/// <summary>Derives key ids (kid) from public keys, so a kid can never point at the wrong key.</summary>
public static class KeyIds
{
    /// <summary>Returns the first 8 bytes of SHA-256 over the raw public key, read big-endian.</summary>
    public static ulong Compute(ReadOnlySpan<byte> publicKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(publicKey, hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }

    public static string ToHex(ulong keyId) => keyId.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
}
