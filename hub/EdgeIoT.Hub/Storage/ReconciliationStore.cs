using System.Globalization;
using System.Text;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Storage;

/// <summary>
/// Reads and updates the reconciliation queue for the ledger sync. Events the ledger keeps
/// rejecting leave the queue for the <c>dead_letters</c> table, which an operator inspects.
/// </summary>
public sealed class ReconciliationStore(HubDatabase database)
{
    /// <summary>
    /// Returns the oldest unsent events of the most urgent lane that has any due at
    /// <paramref name="nowMs"/>, at most <paramref name="limit"/>. An event the ledger rejected
    /// waits out its retry delay while the events behind it go ahead, so one poisoned event
    /// cannot stall its lane.
    /// </summary>
    public IReadOnlyList<QueuedEvent> NextBatch(int limit, long nowMs)
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, event_id, lane, json, attempts FROM events
            WHERE sent_ms IS NULL AND dead = 0 AND next_attempt_ms <= $now
              AND lane = (SELECT MIN(lane) FROM events WHERE sent_ms IS NULL AND dead = 0 AND next_attempt_ms <= $now)
            ORDER BY id LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$now", nowMs);

        var batch = new List<QueuedEvent>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            batch.Add(new QueuedEvent(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetInt32(4)));
        }

        return batch;
    }

    /// <summary>
    /// Marks the events as stored by the ledger in one statement, so the whole batch leaves the
    /// queue in one commit or, after a crash, stays queued whole.
    /// </summary>
    public void MarkSent(IReadOnlyList<QueuedEvent> batch, long sentMs)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            UPDATE events SET sent_ms = $sent, last_error = NULL
            WHERE id IN (SELECT value FROM json_each($ids));
            """;
        command.Parameters.AddWithValue("$sent", sentMs);
        command.Parameters.AddWithValue("$ids", RowIdsJson(batch));
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Counts one more rejection for each event and defers its next attempt by
    /// <paramref name="retry"/> of the new attempt count. Events that reached
    /// <paramref name="maxRejections"/> move to the dead-letter table. Returns the dead-lettered ids.
    /// </summary>
    public IReadOnlyList<string> RecordRejection(
        IReadOnlyList<QueuedEvent> batch, string error, int maxRejections, long nowMs, Func<int, TimeSpan> retry)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(retry);

        using SqliteConnection connection = database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE events SET attempts = attempts + 1, last_error = $error, next_attempt_ms = $next
            WHERE id = $id;
            """;
        command.Parameters.AddWithValue("$error", error);
        SqliteParameter next = command.Parameters.Add("$next", SqliteType.Integer);
        SqliteParameter id = command.Parameters.Add("$id", SqliteType.Integer);

        var dead = new List<(QueuedEvent Event, string Error)>();
        foreach (QueuedEvent queued in batch)
        {
            int attempts = queued.Attempts + 1;
            id.Value = queued.RowId;
            next.Value = nowMs + (long)retry(attempts).TotalMilliseconds;
            command.ExecuteNonQuery();
            if (attempts >= maxRejections)
            {
                dead.Add((queued, error));
            }
        }

        MoveToDeadLetters(connection, transaction, dead, nowMs, countAttempt: false);
        transaction.Commit();
        return dead.Select(item => item.Event.EventId).ToList();
    }

    /// <summary>Moves events to the dead-letter table at once, for events the ledger found invalid.</summary>
    public void MarkDead(IReadOnlyList<(QueuedEvent Event, string Error)> rejected, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(rejected);

        using SqliteConnection connection = database.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        MoveToDeadLetters(connection, transaction, rejected, nowMs, countAttempt: true);
        transaction.Commit();
    }

    /// <summary>Returns the dead-lettered events, oldest first, for an operator to inspect.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters()
    {
        using SqliteConnection connection = database.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT event_id, lane, attempts, last_error, dead_ms FROM dead_letters ORDER BY dead_ms, event_id;";

        var letters = new List<DeadLetter>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            letters.Add(new DeadLetter(
                reader.GetString(0), (Lane)reader.GetInt32(1), reader.GetInt32(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt64(4)));
        }

        return letters;
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
        return (long)(HubDatabase.Scalar(connection, "SELECT COUNT(*) FROM dead_letters;") ?? 0L);
    }

    private static void MoveToDeadLetters(
        SqliteConnection connection,
        SqliteTransaction transaction,
        IReadOnlyList<(QueuedEvent Event, string Error)> dead,
        long nowMs,
        bool countAttempt)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE events SET dead = 1, last_error = $error, attempts = attempts + $extra WHERE id = $id;
            INSERT OR REPLACE INTO dead_letters (event_id, lane, json, attempts, last_error, dead_ms)
                SELECT event_id, lane, json, attempts, last_error, $now FROM events WHERE id = $id;
            """;
        command.Parameters.AddWithValue("$now", nowMs);
        command.Parameters.AddWithValue("$extra", countAttempt ? 1 : 0);
        SqliteParameter error = command.Parameters.Add("$error", SqliteType.Text);
        SqliteParameter id = command.Parameters.Add("$id", SqliteType.Integer);
        foreach ((QueuedEvent queued, string message) in dead)
        {
            error.Value = message;
            id.Value = queued.RowId;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Returns the row ids as a JSON array, which json_each turns into a set inside one statement.</summary>
    private static string RowIdsJson(IReadOnlyList<QueuedEvent> batch)
    {
        var json = new StringBuilder((batch.Count * 8) + 2).Append('[');
        for (int i = 0; i < batch.Count; i++)
        {
            json.Append(i == 0 ? string.Empty : ",").Append(CultureInfo.InvariantCulture, $"{batch[i].RowId}");
        }

        return json.Append(']').ToString();
    }
}
