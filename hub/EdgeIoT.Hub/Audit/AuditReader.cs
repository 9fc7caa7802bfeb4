using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Audit;

/// <summary>Reads stored audit entries for display, with hashes in lower-case hex.</summary>
public static class AuditReader
{
    /// <summary>Returns up to <paramref name="limit"/> entries with a sequence number above <paramref name="after"/>.</summary>
    public static IReadOnlyList<AuditItem> Read(SqliteConnection connection, long after, int limit)
    {
        ArgumentNullException.ThrowIfNull(connection);

        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, time_ms, kind, actor, payload, hash FROM audit WHERE seq > $after ORDER BY seq LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", limit);
        using SqliteDataReader reader = command.ExecuteReader();
        var items = new List<AuditItem>();
        while (reader.Read())
        {
            items.Add(new AuditItem(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                Convert.ToHexStringLower(reader.GetValue(5) as byte[] ?? [])));
        }

        return items;
    }
}
