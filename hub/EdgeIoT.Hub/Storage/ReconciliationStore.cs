using EdgeIoT.Protocol.Messaging;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Storage;

/// <summary>Reads and updates the reconciliation queue for the ledger sync.</summary>
public sealed class ReconciliationStore(HubDatabase database)
{
    /// <summary>Returns the oldest unsent events of the most urgent lane that has any, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<QueuedEvent> NextBatch(int limit)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, event_id, lane, json, attempts FROM events
            WHERE sent_ms IS NULL AND dead = 0
              AND lane = (SELECT MIN(lane) FROM events WHERE sent_ms IS NULL AND dead = 0)
            ORDER BY id LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$limit", limit);

        var batch = new List<QueuedEvent>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            batch.Add(new QueuedEvent(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetInt32(4)));
        }

        return batch;
    }

    public void MarkSent(IReadOnlyList<QueuedEvent> batch, long sentMs)
    {
        ArgumentNullException.ThrowIfNull(batch);

        UpdateEach(batch, "UPDATE events SET sent_ms = $value, last_error = NULL WHERE id = $id;", sentMs);
    }

    /// <summary>
    /// Counts one more rejection for each event and moves those that reached
    /// <paramref name="maxRejections"/> to the dead-letter state. Returns the dead-lettered ids.
    /// </summary>
    public IReadOnlyList<string> RecordRejection(IReadOnlyList<QueuedEvent> batch, string error, int maxRejections)
    {
        ArgumentNullException.ThrowIfNull(batch);

        using SqliteConnection connection = database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE events SET attempts = attempts + 1, last_error = $error,
                dead = CASE WHEN attempts + 1 >= $max THEN 1 ELSE 0 END
            WHERE id = $id;
            """;
        command.Parameters.AddWithValue("$error", error);
        command.Parameters.AddWithValue("$max", maxRejections);
        SqliteParameter id = command.Parameters.Add("$id", SqliteType.Integer);

        var dead = new List<string>();
        foreach (QueuedEvent queued in batch)
        {
            id.Value = queued.RowId;
            command.ExecuteNonQuery();
            if (queued.Attempts + 1 >= maxRejections)
            {
                dead.Add(queued.EventId);
            }
        }

        transaction.Commit();
        return dead;
    }

    /// <summary>Moves events to the dead-letter state at once, for events the ledger found invalid.</summary>
    public void MarkDead(IEnumerable<(QueuedEvent Event, string Error)> rejected)
    {
        ArgumentNullException.ThrowIfNull(rejected);

        using SqliteConnection connection = database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE events SET dead = 1, attempts = attempts + 1, last_error = $error WHERE id = $id;";
        SqliteParameter error = command.Parameters.Add("$error", SqliteType.Text);
        SqliteParameter id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach ((QueuedEvent queued, string message) in rejected)
        {
            error.Value = message;
            id.Value = queued.RowId;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Returns the unsent, not dead-lettered events per lane.</summary>
    public IReadOnlyDictionary<Lane, long> UnsentCounts()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT lane, COUNT(*) FROM events WHERE sent_ms IS NULL AND dead = 0 GROUP BY lane;";

        var counts = Enum.GetValues<Lane>().ToDictionary(lane => lane, _ => 0L);
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            counts[(Lane)reader.GetInt32(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    public long DeadLetterCount()
    {
        using SqliteConnection connection = database.Open();
        return (long)(HubDatabase.Scalar(connection, "SELECT COUNT(*) FROM events WHERE dead = 1;") ?? 0L);
    }

    private void UpdateEach(IReadOnlyList<QueuedEvent> batch, string sql, long value)
    {
        using SqliteConnection connection = database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$value", value);
        SqliteParameter id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach (QueuedEvent queued in batch)
        {
            id.Value = queued.RowId;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
