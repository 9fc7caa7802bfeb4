using EdgeIoT.Protocol.Messaging;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Storage;

/// <summary>What devices report about themselves, for the operator's device list and check.</summary>
public sealed partial class DeviceStore
{
    /// <summary>Records a device's status message: state, last-seen time and the versions it holds.</summary>
    public void RecordStatus(DeviceStatus status, long timeMs)
    {
        ArgumentNullException.ThrowIfNull(status);

        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            UPDATE devices SET state = $state, last_seen_ms = $time,
                key_list_version = COALESCE($keys, key_list_version),
                snapshot_version = COALESCE($snapshot, snapshot_version),
                boot_id = COALESCE($boot, boot_id)
            WHERE device_id = $id;
            """;
        command.Parameters.AddWithValue("$id", status.DeviceId);
        command.Parameters.AddWithValue("$state", status.State);
        command.Parameters.AddWithValue("$time", timeMs);
        command.Parameters.AddWithValue("$keys", status.KeyListVersion is uint keys ? (long)keys : DBNull.Value);
        command.Parameters.AddWithValue("$snapshot", status.SnapshotVersion is uint snapshot ? (long)snapshot : DBNull.Value);
        command.Parameters.AddWithValue("$boot", (object?)status.BootId ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    /// <summary>Keeps the detail of a device's latest status event, such as an outbox alarm.</summary>
    public void RecordDetail(string deviceId, string detail, long timeMs)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "UPDATE devices SET last_detail = $detail, last_seen_ms = $time WHERE device_id = $id;";
        command.Parameters.AddWithValue("$id", deviceId);
        command.Parameters.AddWithValue("$detail", detail);
        command.Parameters.AddWithValue("$time", timeMs);
        command.ExecuteNonQuery();
    }

    /// <summary>Returns every enrolled device except the operator account, ordered by id.</summary>
    public IReadOnlyList<DeviceDetails> ReadDetails()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT device_id, device_class, zone, state, last_seen_ms, key_list_version, snapshot_version,
                   boot_id, last_detail
            FROM devices WHERE device_id <> 'operator' ORDER BY device_id;
            """;
        using SqliteDataReader reader = command.ExecuteReader();
        var devices = new List<DeviceDetails>();
        while (reader.Read())
        {
            devices.Add(new DeviceDetails(
                reader.GetString(0),
                reader.GetString(1),
                (byte)reader.GetInt32(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : (uint)reader.GetInt64(5),
                reader.IsDBNull(6) ? null : (uint)reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return devices;
    }
}
