using System.Security.Cryptography;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Storage;

/// <summary>Enrolled devices, their MQTT password hashes and last-seen times.</summary>
public sealed partial class DeviceStore(HubDatabase database)
{
    private const int SaltLength = 16;
    private const int PasswordLength = 24;

    /// <summary>Raised with the device id after an enrollment is stored, so an external broker's password file can follow.</summary>
    public event Action<string>? Enrolled;

    /// <summary>Enrolls the device, or issues a new password to an enrolled one. Returns the new password.</summary>
    public string Enroll(string deviceId, string deviceClass, byte zone)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(deviceClass);

        string password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(PasswordLength));
        byte[] salt = RandomNumberGenerator.GetBytes(SaltLength);

        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO devices (device_id, device_class, password_hash, salt, zone, mosquitto_hash)
            VALUES ($id, $class, $hash, $salt, $zone, $mosquittoHash)
            ON CONFLICT (device_id) DO UPDATE SET device_class = $class, password_hash = $hash,
                salt = $salt, zone = $zone, mosquitto_hash = $mosquittoHash;
            """;
        command.Parameters.AddWithValue("$id", deviceId);
        command.Parameters.AddWithValue("$class", deviceClass);
        command.Parameters.AddWithValue("$hash", Hash(salt, password));
        command.Parameters.AddWithValue("$salt", salt);
        command.Parameters.AddWithValue("$zone", (int)zone);
        command.Parameters.AddWithValue("$mosquittoHash", MosquittoPassword.Hash(password));
        command.ExecuteNonQuery();

        Enrolled?.Invoke(deviceId);
        return password;
    }

    /// <summary>Returns whether the password matches the device's current one; false for unknown devices.</summary>
    public bool VerifyPassword(string deviceId, string? password)
    {
        if (string.IsNullOrEmpty(deviceId) || string.IsNullOrEmpty(password))
        {
            return false;
        }

        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT password_hash, salt FROM devices WHERE device_id = $id;";
        command.Parameters.AddWithValue("$id", deviceId);
        using SqliteDataReader reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return false;
        }

        byte[] stored = (byte[])reader.GetValue(0);
        byte[] salt = (byte[])reader.GetValue(1);
        return CryptographicOperations.FixedTimeEquals(stored, Hash(salt, password));
    }

    public void RecordSeen(string deviceId, string state, long timeMs)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE devices SET state = $state, last_seen_ms = $time WHERE device_id = $id;";
        command.Parameters.AddWithValue("$id", deviceId);
        command.Parameters.AddWithValue("$state", state);
        command.Parameters.AddWithValue("$time", timeMs);
        command.ExecuteNonQuery();
    }

    public IReadOnlyList<DeviceRecord> ReadAll()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT device_id, device_class, zone, state, last_seen_ms FROM devices ORDER BY device_id;";
        using SqliteDataReader reader = command.ExecuteReader();
        var devices = new List<DeviceRecord>();
        while (reader.Read())
        {
            devices.Add(new DeviceRecord(
                reader.GetString(0),
                reader.GetString(1),
                (byte)reader.GetInt32(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return devices;
    }

    /// <summary>Returns every enrolled account with its Mosquitto password hash (null when enrolled before the hash was stored).</summary>
    public IReadOnlyList<(string DeviceId, string? MosquittoHash)> ReadMosquittoHashes()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT device_id, mosquitto_hash FROM devices ORDER BY device_id;";
        using SqliteDataReader reader = command.ExecuteReader();
        var accounts = new List<(string, string?)>();
        while (reader.Read())
        {
            accounts.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return accounts;
    }

    // One salted SHA-256 suffices because the hub generates every password with 192 random
    // bits; a slow hash guards against guessing low-entropy human passwords, which these are not.
    private static byte[] Hash(byte[] salt, string password)
    {
        byte[] passwordBytes = System.Text.Encoding.UTF8.GetBytes(password);
        byte[] input = new byte[salt.Length + passwordBytes.Length];
        salt.CopyTo(input, 0);
        passwordBytes.CopyTo(input, salt.Length);
        return SHA256.HashData(input);
    }
}
