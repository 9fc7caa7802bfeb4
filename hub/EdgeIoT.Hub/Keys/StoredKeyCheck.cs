using EdgeIoT.Hub.Options;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Keys;

/// <summary>
/// Checks, before the host starts, that the configured key-encryption key decrypts every private
/// key stored in hub.db. A wrong key then stops the start with one message, instead of failing
/// inside a hosted service, whose failure the host logs with a stack trace.
/// </summary>
public static class StoredKeyCheck
{
    /// <summary>Decrypts each stored private key of <paramref name="databasePath"/> and discards it; does nothing when the database or its keys table is missing.</summary>
    /// <exception cref="HubSettingsException">A stored key is encrypted and the key-encryption key is missing or does not decrypt it.</exception>
    public static void RequireDecryptable(KeyEncryption encryption, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(encryption);
        ArgumentException.ThrowIfNullOrEmpty(databasePath);

        string path = Path.GetFullPath(databasePath);
        if (!File.Exists(path))
        {
            return;
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        using var connection = new SqliteConnection(connectionString.ToString());
        connection.Open();
        if (!HasKeysTable(connection))
        {
            return;
        }

        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT kid, usage, private_key FROM keys ORDER BY usage <> 'root', kid;";
        using SqliteDataReader reader = select.ExecuteReader();
        while (reader.Read())
        {
            Decrypt(encryption, (byte[])reader.GetValue(2), reader.GetInt64(0), reader.GetString(1), path);
        }
    }

    private static void Decrypt(KeyEncryption encryption, byte[] stored, long keyId, string usage, string databasePath)
    {
        try
        {
            byte[] privateKey = encryption.Unprotect(stored, keyId, usage);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(privateKey);
        }
        catch (HubSettingsException exception)
        {
            throw new HubSettingsException($"{databasePath}: {exception.Message}", exception);
        }
    }

    private static bool HasKeysTable(SqliteConnection connection)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'keys';";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
