using NSec.Cryptography;

namespace EdgeIoT.Protocol.Crypto;

/// <summary>
/// An Ed25519 private key with its kid and validity window. The private key never leaves
/// this object except through <see cref="ExportPrivateKey"/>, which the hub's key store uses.
/// </summary>
public sealed class SigningKey : IDisposable
{
    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;
    private readonly Key _key;

    private SigningKey(Key key, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        _key = key;
        PublicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        KeyId = KeyIds.Compute(PublicKey);
        NotBefore = notBefore;
        NotAfter = notAfter;
    }

    public ulong KeyId { get; }

    /// <summary>Raw 32-byte public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>Earliest issue time of tokens signed by this key.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>Latest issue time of tokens signed by this key.</summary>
    public DateTimeOffset NotAfter { get; }

    public static SigningKey Generate(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        return new SigningKey(Key.Create(Algorithm, parameters), notBefore, notAfter);
    }

    /// <summary>Imports a raw 32-byte Ed25519 private key (seed), as stored by the hub.</summary>
    public static SigningKey Import(ReadOnlySpan<byte> privateKey, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var parameters = new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };
        var key = Key.Import(Algorithm, privateKey, KeyBlobFormat.RawPrivateKey, parameters);
        return new SigningKey(key, notBefore, notAfter);
    }

    public byte[] ExportPrivateKey() => _key.Export(KeyBlobFormat.RawPrivateKey);

    /// <summary>Signs <paramref name="message"/> into the 64 bytes of <paramref name="signature"/>.</summary>
    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature) => Algorithm.Sign(_key, message, signature);

    public void Dispose() => _key.Dispose();
}
