using System.Text.Json;
using EdgeIoT.Hub.Audit;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Storage;

/// <summary>The change log behind snapshot deltas, and the audit entries of snapshot changes.</summary>
public sealed partial class EntitlementStore
{
    /// <summary>
    /// Returns the ids of entitlements changed after snapshot version <paramref name="sinceVersion"/>,
    /// ascending, or null when the change log does not reach back that far (a database from before
    /// the change log existed), so the caller must send the full snapshot.
    /// </summary>
    public IReadOnlyList<uint>? ChangedSince(uint sinceVersion)
    {
        using SqliteConnection connection = database.Open();
        long oldest = (long)(HubDatabase.Scalar(connection, "SELECT COALESCE(MIN(version), 0) FROM snapshot_changes;") ?? 0L);
        if (oldest == 0 || oldest > sinceVersion + 1)
        {
            return null;
        }

        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT DISTINCT entitlement_id FROM snapshot_changes WHERE version > $since ORDER BY entitlement_id;
            """;
        command.Parameters.AddWithValue("$since", (long)sinceVersion);
        using SqliteDataReader reader = command.ExecuteReader();
        var ids = new List<uint>();
        while (reader.Read())
        {
            ids.Add((uint)reader.GetInt64(0));
        }

        return ids;
    }

    private static void RecordChanges(
        SqliteConnection connection, SqliteTransaction transaction, uint version, IReadOnlyList<uint> ids)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR IGNORE INTO snapshot_changes (version, entitlement_id) VALUES ($v, $id);";
        command.Parameters.AddWithValue("$v", (long)version);
        SqliteParameter id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (uint changed in ids)
        {
            id.Value = (long)changed;
            command.ExecuteNonQuery();
        }
    }

    private void AuditChange(SqliteConnection connection, SqliteTransaction transaction, object payload)
    {
        var draft = new AuditDraft(
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            AuditKinds.Snapshot,
            AuditActors.Hub,
            JsonSerializer.Serialize(payload, AuditPayloads.Json));
        AuditChain.Append(connection, transaction, [draft]);
    }
}
