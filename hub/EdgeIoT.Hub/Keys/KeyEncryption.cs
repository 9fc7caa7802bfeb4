using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EdgeIoT.Hub.Options;

namespace EdgeIoT.Hub.Keys;

/// <summary>
/// Encrypts the private keys the key ring stores in hub.db with a 256-bit key-encryption key
/// (AES-256-GCM). The key-encryption key comes from a file or a systemd credential and never
/// enters hub.db, so a copy of the database alone does not reveal the signing keys.
/// </summary>
/// <remarks>
/// A stored key is "EKE1", a 12-byte nonce, the 16-byte tag and the ciphertext. The key id and
/// usage are authenticated data, so an encrypted key moved to another row no longer decrypts.
/// </remarks>
public sealed class KeyEncryption
{
    /// <summary>Length of the key-encryption key in bytes.</summary>
    public const int KeyLength = 32;

    private const int NonceLength = 12;
    private const int TagLength = 16;
    private static readonly byte[] Magic = "EKE1"u8.ToArray();

    private readonly byte[]? _key;

    private KeyEncryption(byte[]? key, string? source)
    {
        _key = key;
        Source = source;
    }

    /// <summary>Stores private keys as they are, for a hub configured without a key-encryption key.</summary>
    public static KeyEncryption None { get; } = new(key: null, source: null);

    public bool Enabled => _key is not null;

    /// <summary>The setting the key came from, for messages; null when disabled.</summary>
    public string? Source { get; }

    /// <summary>
    /// Reads the key-encryption key named by <see cref="KeyOptions.EncryptionKeyFile"/> or
    /// <see cref="KeyOptions.EncryptionKeyCredential"/>: 32 raw bytes, or their base64 on one line.
    /// Returns <see cref="None"/> when neither is set.
    /// </summary>
    /// <exception cref="HubSettingsException">The setting names a missing, unreadable or malformed key.</exception>
    public static KeyEncryption FromOptions(KeyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        if (!string.IsNullOrEmpty(options.EncryptionKeyFile) && !string.IsNullOrEmpty(options.EncryptionKeyCredential))
        {
            throw new HubSettingsException(
                "Hub:Keys:EncryptionKeyFile and Hub:Keys:EncryptionKeyCredential are both set: set only one.");
        }

        if (!string.IsNullOrEmpty(options.EncryptionKeyFile))
        {
            string setting = $"Hub:Keys:EncryptionKeyFile '{options.EncryptionKeyFile}'";
            return new KeyEncryption(ReadKey(options.EncryptionKeyFile, setting), setting);
        }

        if (!string.IsNullOrEmpty(options.EncryptionKeyCredential))
        {
            string setting = $"Hub:Keys:EncryptionKeyCredential '{options.EncryptionKeyCredential}'";

            // systemd puts the credentials of LoadCredential= or SetCredentialEncrypted= in this folder (systemd.exec(5)).
            string? folder = Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY");
            if (string.IsNullOrEmpty(folder))
            {
                throw new HubSettingsException(
                    $"{setting} is unusable: CREDENTIALS_DIRECTORY is not set, so the hub is not running under systemd with LoadCredential=.");
            }

            return new KeyEncryption(ReadKey(Path.Combine(folder, options.EncryptionKeyCredential), setting), setting);
        }

        return None;
    }

    /// <summary>Returns whether <paramref name="stored"/> is an encrypted key rather than a raw one.</summary>
    public static bool IsEncrypted(ReadOnlySpan<byte> stored) =>
        stored.Length > Magic.Length + NonceLength + TagLength && stored.StartsWith(Magic);

    /// <summary>Returns what to store for <paramref name="privateKey"/>: encrypted when enabled, else the key itself.</summary>
    public byte[] Protect(byte[] privateKey, long keyId, string usage)
    {
        ArgumentNullException.ThrowIfNull(privateKey);

        if (_key is null)
        {
            return privateKey;
        }

        byte[] stored = new byte[Magic.Length + NonceLength + TagLength + privateKey.Length];
        Span<byte> nonce = stored.AsSpan(Magic.Length, NonceLength);
        Span<byte> tag = stored.AsSpan(Magic.Length + NonceLength, TagLength);
        Magic.CopyTo(stored, 0);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagLength);
        aes.Encrypt(nonce, privateKey, stored.AsSpan(Magic.Length + NonceLength + TagLength), tag, AssociatedData(keyId, usage));
        return stored;
    }

    /// <summary>Returns the private key from a stored value, decrypting it when it is encrypted.</summary>
    /// <exception cref="HubSettingsException">The key is encrypted and no key, or another key, is configured.</exception>
    public byte[] Unprotect(byte[] stored, long keyId, string usage)
    {
        ArgumentNullException.ThrowIfNull(stored);

        if (!IsEncrypted(stored))
        {
            return stored;
        }

        if (_key is null)
        {
            throw new HubSettingsException(
                $"hub.db holds encrypted private keys ({usage} key {keyId:x16}), and no key-encryption key is configured: "
                + "set Hub:Keys:EncryptionKeyFile or Hub:Keys:EncryptionKeyCredential to the key they were encrypted with.");
        }

        int offset = Magic.Length + NonceLength + TagLength;
        byte[] privateKey = new byte[stored.Length - offset];
        try
        {
            using var aes = new AesGcm(_key, TagLength);
            aes.Decrypt(
                stored.AsSpan(Magic.Length, NonceLength), stored.AsSpan(offset), stored.AsSpan(Magic.Length + NonceLength, TagLength),
                privateKey, AssociatedData(keyId, usage));
        }
        catch (AuthenticationTagMismatchException exception)
        {
            throw new HubSettingsException(
                $"{Source} does not decrypt the stored {usage} key {keyId:x16}: it is not the key-encryption key hub.db was written with, or the row was altered.",
                exception);
        }

        return privateKey;
    }

    private static byte[] ReadKey(string path, string setting)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new HubSettingsException($"{setting} cannot be read: {exception.Message}", exception);
        }

        if (content.Length == KeyLength)
        {
            return content;
        }

        try
        {
            byte[] decoded = Convert.FromBase64String(Encoding.ASCII.GetString(content).Trim());
            if (decoded.Length == KeyLength)
            {
                return decoded;
            }
        }
        catch (FormatException)
        {
            // Neither raw nor base64; the exception below names the expected form.
        }

        throw new HubSettingsException(
            $"{setting} is invalid: it must hold {KeyLength} random bytes, raw or as base64 (head -c {KeyLength} /dev/urandom | base64).");
    }

    private static byte[] AssociatedData(long keyId, string usage)
    {
        byte[] usageBytes = Encoding.UTF8.GetBytes(usage);
        byte[] data = new byte[8 + usageBytes.Length];
        BinaryPrimitives.WriteInt64BigEndian(data, keyId);
        usageBytes.CopyTo(data, 8);
        return data;
    }
}
