using System.Buffers.Binary;
using System.Collections.Concurrent;
using EdgeIoT.Firmware.Verification;
using NSec.Cryptography;

namespace EdgeIoT.Protocol.Crypto;

/// <summary>Ed25519 verification through NSec (libsodium), for the hub, agents and simulated firmware.</summary>
public sealed class NSecSignatureVerifier : ISignatureVerifier
{
    public static readonly NSecSignatureVerifier Instance = new();

    /// <summary>Most imported keys kept; a venue's key list contains at most 32.</summary>
    private const int MaxCachedKeys = 256;

    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    // Imported keys by their 32 key bytes (not by array reference), so a changed array can
    // never verify against a stale key. Importing on every scan would cost a gate for nothing.
    private readonly ConcurrentDictionary<KeyBytes, PublicKey?> _imported = new();

    public bool Verify(byte[] publicKey, byte[] message, int messageLength, byte[] signature, int signatureOffset)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signature);

        if (publicKey.Length != Algorithm.PublicKeySize
            || messageLength < 0
            || messageLength > message.Length
            || signatureOffset < 0
            || signatureOffset + Algorithm.SignatureSize > signature.Length)
        {
            return false;
        }

        // libsodium's verify also rejects non-canonical S (S >= L) and small-order points,
        // checks that RFC 8032 section 5.1.7 leaves to the implementation.
        PublicKey? key = Import(publicKey);
        return key is not null
            && Algorithm.Verify(
                key,
                message.AsSpan(0, messageLength),
                signature.AsSpan(signatureOffset, Algorithm.SignatureSize));
    }

    private PublicKey? Import(byte[] publicKey)
    {
        var bytes = new KeyBytes(publicKey);
        if (_imported.TryGetValue(bytes, out PublicKey? cached))
        {
            return cached;
        }

        PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out PublicKey? imported);
        if (_imported.Count >= MaxCachedKeys)
        {
            _imported.Clear();
        }

        _imported[bytes] = imported;
        return imported;
    }

    /// <summary>The 32 bytes of a raw Ed25519 public key as a value, for dictionary lookups.</summary>
    private readonly record struct KeyBytes(ulong Part0, ulong Part1, ulong Part2, ulong Part3)
    {
        public KeyBytes(byte[] key)
            : this(
                BinaryPrimitives.ReadUInt64LittleEndian(key.AsSpan(0)),
                BinaryPrimitives.ReadUInt64LittleEndian(key.AsSpan(8)),
                BinaryPrimitives.ReadUInt64LittleEndian(key.AsSpan(16)),
                BinaryPrimitives.ReadUInt64LittleEndian(key.AsSpan(24)))
        {
        }
    }
}
