using Microsoft.Data.Sqlite;

namespace EdgeIoT.EdgeAgent.Storage;

/// <summary>
/// Sale request ids, stored in the payment event's transaction and kept after the payment is
/// acknowledged, so a till that repeats a request after a crash gets the first sale back.
/// </summary>
public sealed partial class EventOutbox
{
    /// <summary>Returns the payment event id and amount of the sale made for <paramref name="requestId"/>, or null when none was made.</summary>
    public (string EventId, long AmountMinor)? FindSale(string requestId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(requestId);

        lock (_lock)
        {
            using SqliteCommand command = _connection.CreateCommand();
            command.CommandText = "SELECT event_id, amount_minor FROM sales WHERE request_id = $request";
            command.Parameters.AddWithValue("$request", requestId);
            using SqliteDataReader reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetString(0), reader.GetInt64(1)) : null;
        }
    }

    private void RecordSale(SqliteTransaction transaction, string requestId, Protocol.Messaging.EdgeEvent payment)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO sales (request_id, event_id, amount_minor) VALUES ($request, $event, $amount)";
        command.Parameters.AddWithValue("$request", requestId);
        command.Parameters.AddWithValue("$event", payment.EventId);
        command.Parameters.AddWithValue("$amount", payment.AmountMinor ?? 0);
        command.ExecuteNonQuery();
    }
}
