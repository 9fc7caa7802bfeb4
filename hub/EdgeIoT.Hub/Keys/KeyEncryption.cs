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
    private const string FileSetting = "Hub:Keys:EncryptionKeyFile";
    private const string CredentialSetting = "Hub:Keys:EncryptionKeyCredential";
    private const string VariableSetting = "Hub:Keys:EncryptionKeyVariable";
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

    /// <summary>
    /// The setting the key came from and where that setting was made, such as
    /// "Hub:Keys:EncryptionKeyFile '/etc/edgeiot/hub-kek' (set in /data/hub.settings.json)", for messages; null when disabled.
    /// </summary>
    public string? Source { get; }

    /// <summary>
    /// Reads the key-encryption key named by <see cref="KeyOptions.EncryptionKeyFile"/>,
    /// <see cref="KeyOptions.EncryptionKeyCredential"/> or <see cref="KeyOptions.EncryptionKeyVariable"/>:
    /// 32 raw bytes, or their base64 on one line. Returns <see cref="None"/> when none is set.
    /// </summary>
    /// <param name="options">The key ring settings.</param>
    /// <param name="configuration">
    /// The configuration the options were bound from, so messages can name where the setting came
    /// from (command line, environment variable or settings file); null leaves that out.
    /// </param>
    /// <exception cref="HubSettingsException">The setting names a missing, unreadable or malformed key, or more than one is set.</exception>
    public static KeyEncryption FromOptions(KeyOptions options, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(options);

        string[] configured = new[]
        {
            (Name: FileSetting, Value: options.EncryptionKeyFile),
            (Name: CredentialSetting, Value: options.EncryptionKeyCredential),
            (Name: VariableSetting, Value: options.EncryptionKeyVariable),
        }.Where(setting => !string.IsNullOrEmpty(setting.Value)).Select(setting => setting.Name).ToArray();
        if (configured.Length > 1)
        {
            throw new HubSettingsException($"{string.Join(" and ", configured)} are set: set only one of them.");
        }

        if (!string.IsNullOrEmpty(options.EncryptionKeyFile))
        {
            string setting = Describe(FileSetting, options.EncryptionKeyFile, configuration);
            return new KeyEncryption(ReadKeyFile(options.EncryptionKeyFile, setting), setting);
        }

        if (!string.IsNullOrEmpty(options.EncryptionKeyCredential))
        {
            string setting = Describe(CredentialSetting, options.EncryptionKeyCredential, configuration);

            // systemd puts the credentials of LoadCredential= or SetCredentialEncrypted= in this folder (systemd.exec(5)).
            string? folder = Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY");
            if (string.IsNullOrEmpty(folder))
            {
                throw new HubSettingsException(
                    $"{setting} is unusable: CREDENTIALS_DIRECTORY is not set, so the hub is not running under systemd with LoadCredential=.");
            }

            return new KeyEncryption(ReadKeyFile(Path.Combine(folder, options.EncryptionKeyCredential), setting), setting);
        }

        if (!string.IsNullOrEmpty(options.EncryptionKeyVariable))
        {
            string setting = Describe(VariableSetting, options.EncryptionKeyVariable, configuration);
            return new KeyEncryption(ReadKeyVariable(options.EncryptionKeyVariable, setting), setting);
        }

        return None;
    }

    /// <summary>
    /// Writes a new random key-encryption key to <paramref name="path"/> as one base64 line,
    /// readable and writable by the current user only (mode 0600). The key is never returned or logged.
    /// </summary>
    /// <exception cref="IOException">The file exists or cannot be written.</exception>
    public static void CreateKeyFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        byte[] key = RandomNumberGenerator.GetBytes(KeyLength);
        byte[] line = Encoding.ASCII.GetBytes(Convert.ToBase64String(key) + "\n");
        using (var stream = new FileStream(path, fileOptions))
        {
            stream.Write(line);
            stream.Flush(flushToDisk: true);
        }

        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(line);
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
                + $"set {FileSetting}, {CredentialSetting} or {VariableSetting} to the key they were encrypted with.");
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
                $"The key-encryption key of {Source} does not decrypt the stored {usage} key {keyId:x16}: "
                + "hub.db was encrypted with another key-encryption key, or the row was altered. Start the hub with the key "
                + "this hub.db was encrypted with, such as the file 'hub init --encryption-key-file' created or its backup; "
                + "a new key cannot decrypt the stored keys.",
                exception);
        }

        return privateKey;
    }

    private static byte[] ReadKeyFile(string path, string setting)
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

        return content.Length == KeyLength ? content : DecodeBase64Key(content, setting);
    }

    private static byte[] ReadKeyVariable(string name, string setting)
    {
        string? value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new HubSettingsException(
                $"{setting} is unusable: the environment variable {name} is not set or empty; export it with the base64 key before starting.");
        }

        return DecodeBase64Key(Encoding.ASCII.GetBytes(value), setting);
    }

    // The message never contains the content, because it may be a nearly valid key.
    private static byte[] DecodeBase64Key(byte[] content, string setting)
    {
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

    private static string Describe(string name, string value, IConfiguration? configuration)
    {
        string? origin = configuration is null ? null : SettingOrigin.Describe(configuration, name, value);
        return origin is null ? $"{name} '{value}'" : $"{name} '{value}' ({origin})";
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
