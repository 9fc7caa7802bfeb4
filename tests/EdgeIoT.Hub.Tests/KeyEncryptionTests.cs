using System.Security.Cryptography;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace EdgeIoT.Hub.Tests;

/// <summary>Private keys in hub.db are encrypted with a key-encryption key from a file, a systemd credential or an environment variable.</summary>
[Trait("Category", "Security")]
public sealed class KeyEncryptionTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "edgeiot-kek-tests", Guid.NewGuid().ToString("N"));

    public KeyEncryptionTests()
    {
        Directory.CreateDirectory(_folder);
    }

    [Fact]
    public async Task Store_WithKeyFile_Encrypted()
    {
        string keyFile = WriteKeyFile("kek");

        await using HubHarness hub = await HubHarness.StartAsync(options => options.Keys.EncryptionKeyFile = keyFile);
        List<byte[]> stored = ReadStoredKeys(hub.DataDirectory);

        Assert.True(stored.Count >= 5, $"{stored.Count} stored keys");
        Assert.All(stored, key => Assert.True(KeyEncryption.IsEncrypted(key), Convert.ToHexString(key)));
    }

    [Fact]
    public async Task Restart_SameKeyFile_SameRootKey()
    {
        string keyFile = WriteKeyFile("kek");
        (string directory, string rootKey) = await StartOnceAsync(options => options.Keys.EncryptionKeyFile = keyFile);

        await using HubHarness again = await HubHarness.StartAsync(options => options.Keys.EncryptionKeyFile = keyFile, directory);

        Assert.Equal(rootKey, again.Endpoints.RootPublicKey);
    }

    [Fact]
    public async Task Restart_RawKeysThenKeyFile_Encrypted()
    {
        string keyFile = WriteKeyFile("kek");
        (string directory, string rootKey) = await StartOnceAsync(configure: null);

        await using HubHarness again = await HubHarness.StartAsync(options => options.Keys.EncryptionKeyFile = keyFile, directory);

        Assert.Equal(rootKey, again.Endpoints.RootPublicKey);
        Assert.All(ReadStoredKeys(directory), key => Assert.True(KeyEncryption.IsEncrypted(key)));
        Assert.Contains(again.Logs.Entries, entry => entry.EventId == 1306);
    }

    [Fact]
    public async Task Restart_WithoutKeyFile_FailsNamingSetting()
    {
        string keyFile = WriteKeyFile("kek");
        (string directory, _) = await StartOnceAsync(options => options.Keys.EncryptionKeyFile = keyFile);

        HubSettingsException error = await Assert.ThrowsAsync<HubSettingsException>(
            () => HubHarness.StartAsync(configure: null, directory));

        Assert.Contains("Hub:Keys:EncryptionKeyFile", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_OtherKeyFile_FailsToDecrypt()
    {
        string keyFile = WriteKeyFile("kek");
        string otherFile = WriteKeyFile("other");
        (string directory, _) = await StartOnceAsync(options => options.Keys.EncryptionKeyFile = keyFile);

        HubSettingsException error = await Assert.ThrowsAsync<HubSettingsException>(
            () => HubHarness.StartAsync(options => options.Keys.EncryptionKeyFile = otherFile, directory));

        Assert.Contains($"Hub:Keys:EncryptionKeyFile '{otherFile}' does not decrypt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOptions_ShortKeyFile_Rejected()
    {
        string keyFile = Path.Combine(_folder, "short");
        File.WriteAllBytes(keyFile, new byte[16]);

        HubSettingsException error = Assert.Throws<HubSettingsException>(
            () => KeyEncryption.FromOptions(new KeyOptions { EncryptionKeyFile = keyFile }));

        Assert.Contains($"Hub:Keys:EncryptionKeyFile '{keyFile}' is invalid: it must hold 32 random bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOptions_Base64KeyFile_Accepted()
    {
        string keyFile = Path.Combine(_folder, "base64");
        File.WriteAllText(keyFile, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) + "\n");

        KeyEncryption encryption = KeyEncryption.FromOptions(new KeyOptions { EncryptionKeyFile = keyFile });
        byte[] stored = encryption.Protect([1, 2, 3], keyId: 7, usage: "edge");

        Assert.True(encryption.Enabled);
        Assert.Equal([1, 2, 3], encryption.Unprotect(stored, keyId: 7, usage: "edge"));
        Assert.Throws<HubSettingsException>(() => encryption.Unprotect(stored, keyId: 8, usage: "edge"));
    }

    [Fact]
    public void FromOptions_CredentialWithoutSystemd_NamesCredentialsDirectory()
    {
        Assert.Null(Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY"));

        HubSettingsException error = Assert.Throws<HubSettingsException>(
            () => KeyEncryption.FromOptions(new KeyOptions { EncryptionKeyCredential = "edgeiot-hub-kek" }));

        Assert.Contains("Hub:Keys:EncryptionKeyCredential 'edgeiot-hub-kek'", error.Message, StringComparison.Ordinal);
        Assert.Contains("CREDENTIALS_DIRECTORY is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOptions_InvalidKeyVariable_NamesVariableNotValue()
    {
        string name = "EDGEIOT_TEST_KEK_" + Guid.NewGuid().ToString("N");
        const string value = "not-base64-but-secret-looking";
        Environment.SetEnvironmentVariable(name, value);
        try
        {
            HubSettingsException error = Assert.Throws<HubSettingsException>(
                () => KeyEncryption.FromOptions(new KeyOptions { EncryptionKeyVariable = name }));

            Assert.Contains($"Hub:Keys:EncryptionKeyVariable '{name}' is invalid", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void FromOptions_FileAndVariable_Rejected()
    {
        HubSettingsException error = Assert.Throws<HubSettingsException>(
            () => KeyEncryption.FromOptions(new KeyOptions { EncryptionKeyFile = "/etc/edgeiot/hub-kek", EncryptionKeyVariable = "EDGEIOT_HUB_KEK" }));

        Assert.Contains("Hub:Keys:EncryptionKeyFile and Hub:Keys:EncryptionKeyVariable are set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateKeyFile_NewFile_OwnerOnlyBase64Key()
    {
        string keyFile = Path.Combine(_folder, "created.kek");

        KeyEncryption.CreateKeyFile(keyFile);
        KeyEncryption encryption = KeyEncryption.FromOptions(new KeyOptions { EncryptionKeyFile = keyFile });

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? (UnixFileMode?)null : File.GetUnixFileMode(keyFile));
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(keyFile).Trim()).Length);
        Assert.True(encryption.Enabled);
        Assert.Throws<IOException>(() => KeyEncryption.CreateKeyFile(keyFile));
    }

    [Fact]
    public void FromOptions_KeyFileOnCommandLine_SourceNamesCommandLine()
    {
        string keyFile = Path.Combine(_folder, "origin.kek");
        KeyEncryption.CreateKeyFile(keyFile);
        IConfigurationRoot configuration = new ConfigurationBuilder()
            .AddCommandLine(["--Hub:Keys:EncryptionKeyFile=" + keyFile])
            .Build();

        KeyEncryption encryption = KeyEncryption.FromOptions(new KeyOptions { EncryptionKeyFile = keyFile }, configuration);

        Assert.Equal($"Hub:Keys:EncryptionKeyFile '{keyFile}' (set on the command line)", encryption.Source);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover folder in the temp directory is harmless.
        }
    }

    private static List<byte[]> ReadStoredKeys(string dataDirectory)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "hub.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT private_key FROM keys;";
        using SqliteDataReader reader = command.ExecuteReader();
        var keys = new List<byte[]>();
        while (reader.Read())
        {
            keys.Add((byte[])reader.GetValue(0));
        }

        return keys;
    }

    private string WriteKeyFile(string name)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(KeyEncryption.KeyLength));
        return path;
    }

    private static async Task<(string Directory, string RootPublicKey)> StartOnceAsync(Action<HubOptions>? configure)
    {
        await using HubHarness hub = await HubHarness.StartAsync(configure);
        hub.KeepData = true;
        return (hub.DataDirectory, hub.Endpoints.RootPublicKey);
    }
}
