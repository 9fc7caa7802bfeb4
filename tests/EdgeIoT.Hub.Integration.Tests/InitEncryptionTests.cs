using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Integration.Tests;

/// <summary>
/// 'hub init' with a key-encryption key: the venue it creates starts with the settings it wrote,
/// and the private keys in hub.db are stored encrypted.
/// </summary>
[Trait("Category", "Security")]
public sealed class InitEncryptionTests : IDisposable
{
    // Stored encrypted keys begin with this tag (KeyEncryption in the hub).
    private static readonly byte[] EncryptedKeyMagic = "EKE1"u8.ToArray();

    private readonly List<string> _folders = [];

    public void Dispose()
    {
        foreach (string folder in _folders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover folder in the temp directory is harmless.
            }
        }
    }

    [Fact]
    public async Task Init_EncryptionKeyFile_HubStartsWithEncryptedKeys()
    {
        string data = NewFolder();
        string keyFile = Path.Combine(NewFolder(), "hub.kek");

        ToolResult init = await ToolProcess.HubCliAsync(
            "init", "--data", data, "--venue", "fair", "--event-id", "9", "--encryption-key-file", keyFile);
        string key = (await File.ReadAllTextAsync(keyFile)).Trim();
        await using HubProcess hub = await HubProcess.StartAsync(data);
        await hub.KillAsync();
        List<(string Usage, byte[] Value)> stored = StoredKeys(hub.DatabasePath);
        ToolResult withoutKey = await ToolProcess.HubCliAsync(
            "run", "--data", data, "--Hub:Keys:EncryptionKeyFile=", "--Hub:Mqtt:Port=0", "--Hub:Http:Urls=http://127.0.0.1:0");

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, OperatingSystem.IsWindows() ? (UnixFileMode?)null : File.GetUnixFileMode(keyFile));
        Assert.Equal(32, Convert.FromBase64String(key).Length);
        Assert.DoesNotContain(key, init.Output + init.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(key, hub.RecentOutput(), StringComparison.Ordinal);
        Assert.Equal("fair", hub.Venue);
        Assert.True(stored.Count >= 4, $"hub.db holds {stored.Count} keys; expected root, event, rotating-code and edge keys.");
        Assert.All(stored, key => Assert.True(
            key.Value.AsSpan().StartsWith(EncryptedKeyMagic), $"The {key.Usage} key is stored unencrypted."));
        Assert.Equal(2, withoutKey.ExitCode);
        Assert.Contains("no key-encryption key is configured", withoutKey.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_EncryptionKeyVariable_HubStartsWithEncryptedKeys()
    {
        string data = NewFolder();
        var environment = new Dictionary<string, string>
        {
            ["EDGEIOT_TEST_HUB_KEK"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };

        ToolResult init = await ToolProcess.HubCliAsync(
            environment, "init", "--data", data, "--venue", "fair", "--event-id", "9", "--encryption-key-variable", "EDGEIOT_TEST_HUB_KEK");
        await using HubProcess hub = await HubProcess.StartAsync(data, environment);

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.DoesNotContain(environment["EDGEIOT_TEST_HUB_KEK"], init.Output + init.Error, StringComparison.Ordinal);
        Assert.Equal("fair", hub.Venue);
        List<(string Usage, byte[] Value)> stored = StoredKeys(hub.DatabasePath);
        Assert.NotEmpty(stored);
        Assert.All(stored, key => Assert.True(
            key.Value.AsSpan().StartsWith(EncryptedKeyMagic), $"The {key.Usage} key is stored unencrypted."));
    }

    [Fact]
    public async Task Init_EncryptionKeyVariableUnset_Exit2AndNothingWritten()
    {
        string data = NewFolder();

        ToolResult init = await ToolProcess.HubCliAsync(
            "init", "--data", data, "--venue", "fair", "--event-id", "9", "--encryption-key-variable", "EDGEIOT_TEST_UNSET_KEK");

        Assert.Equal(2, init.ExitCode);
        Assert.Contains("--encryption-key-variable 'EDGEIOT_TEST_UNSET_KEK' is unusable", init.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data, "hub.settings.json")));
    }

    private static List<(string Usage, byte[] Value)> StoredKeys(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT usage, private_key FROM keys;";
        using SqliteDataReader reader = command.ExecuteReader();
        var keys = new List<(string Usage, byte[] Value)>();
        while (reader.Read())
        {
            keys.Add((reader.GetString(0), (byte[])reader.GetValue(1)));
        }

        return keys;
    }

    private string NewFolder()
    {
        string folder = HubProcess.NewDataDirectory();
        _folders.Add(folder);
        return folder;
    }
}
