using EdgeIoT.Firmware.Verification;
using NSec.Cryptography;

namespace EdgeIoT.Protocol.Crypto;

/// <summary>Ed25519 verification through NSec (libsodium), for the hub, agents and simulated firmware.</summary>
public sealed class NSecSignatureVerifier : ISignatureVerifier
{
    public static readonly NSecSignatureVerifier Instance = new();

    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    public bool Verify(byte[] publicKey, byte[] message, int messageLength, byte[] signature, int signatureOffset)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(signature);

        if (publicKey.Length != Algorithm.PublicKeySize
            || signatureOffset < 0
            || signatureOffset + Algorithm.SignatureSize > signature.Length)
        {
            return false;
        }

        // libsodium's verify also rejects non-canonical S (S >= L) and small-order points,
        // checks that RFC 8032 section 5.1.7 leaves to the implementation.
        if (!PublicKey.TryImport(Algorithm, publicKey, KeyBlobFormat.RawPublicKey, out PublicKey? key)
            || key is null)
        {
            return false;
        }

        return Algorithm.Verify(
            key,
            message.AsSpan(0, messageLength),
            signature.AsSpan(signatureOffset, Algorithm.SignatureSize));
    }
}
