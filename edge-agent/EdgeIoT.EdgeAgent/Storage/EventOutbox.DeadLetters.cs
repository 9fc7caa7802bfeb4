using EdgeIoT.Protocol.Messaging;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.EdgeAgent.Storage;

/// <summary>
/// Rejection counts and the dead-letter table. An event the hub rejected too often moves to
/// <c>dead_letters</c> with its payload, so the events behind it are not held up and nothing is
/// lost: a dead-lettered payment stays there until an operator exports it.
/// </summary>
public sealed partial class EventOutbox
{
    private int _deadLetters;
    private bool _rejectionsPending;

    /// <summary>Events moved to the dead-letter table, kept with their payloads.</summary>
    public int DeadLetterCount => Volatile.Read(ref _deadLetters);

    /// <summary>
    /// Counts one rejection of event <paramref name="seq"/> by the hub and returns the count.
    /// At <paramref name="maxRejections"/> the event moves to the dead-letter table in the same
    /// transaction and <paramref name="deadLettered"/> is true.
    /// </summary>
    public int RecordRejection(long seq, string reason, int maxRejections, out bool deadLettered)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRejections, 1);

        deadLettered = false;
        lock (_lock)
        {
            using SqliteTransaction transaction = _connection.BeginTransaction();
            using SqliteCommand count = _connection.CreateCommand();
            count.Transaction = transaction;
            count.CommandText = "INSERT INTO rejections (seq, count, last_reason) VALUES ($seq, 1, $reason) "
                + "ON CONFLICT (seq) DO UPDATE SET count = count + 1, last_reason = excluded.last_reason "
                + "RETURNING count";
            count.Parameters.AddWithValue("$seq", seq);
            count.Parameters.AddWithValue("$reason", reason);
            int rejections = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            _rejectionsPending = true;
            if (rejections >= maxRejections)
            {
                deadLettered = MoveToDeadLetters(transaction, seq, reason, rejections);
            }

            transaction.Commit();
            if (deadLettered)
            {
                _depth--;
                _deadLetters++;
            }

            return rejections;
        }
    }

    /// <summary>
    /// Returns the id and device time of the oldest payment not yet acknowledged by the hub,
    /// dead-lettered ones included, or null when every payment was forwarded.
    /// </summary>
    public (string EventId, long DeviceTimeMs)? OldestUnforwardedPayment()
    {
        lock (_lock)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = "SELECT payload FROM (SELECT seq, payload FROM outbox WHERE kind = $kind "
                + "UNION ALL SELECT seq, payload FROM dead_letters WHERE kind = $kind) ORDER BY seq LIMIT 1";
            command.Parameters.AddWithValue("$kind", EventKinds.Payment);
            if (command.ExecuteScalar() is not byte[] payload)
            {
                return null;
            }

            EdgeEvent payment = ProtocolJson.Deserialize<EdgeEvent>(payload);
            return (payment.EventId, payment.DeviceTimeMs);
        }
    }

    private bool MoveToDeadLetters(SqliteTransaction transaction, long seq, string reason, int rejections)
    {
        using SqliteCommand move = _connection.CreateCommand();
        move.Transaction = transaction;
        move.CommandText = "INSERT INTO dead_letters (seq, kind, payload, reason, rejections, moved_ms) "
            + "SELECT seq, kind, payload, $reason, $rejections, $now FROM outbox WHERE seq = $seq";
        move.Parameters.AddWithValue("$seq", seq);
        move.Parameters.AddWithValue("$reason", reason);
        move.Parameters.AddWithValue("$rejections", rejections);
        move.Parameters.AddWithValue("$now", _timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        bool moved = move.ExecuteNonQuery() > 0;

        using SqliteCommand delete = _connection.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM outbox WHERE seq = $seq; DELETE FROM rejections WHERE seq = $seq";
        delete.Parameters.AddWithValue("$seq", seq);
        delete.ExecuteNonQuery();
        return moved;
    }

    private void ForgetRejections(long seq)
    {
        if (!_rejectionsPending)
        {
            return;
        }

        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = "DELETE FROM rejections WHERE seq = $seq";
        command.Parameters.AddWithValue("$seq", seq);
        command.ExecuteNonQuery();
    }
}
