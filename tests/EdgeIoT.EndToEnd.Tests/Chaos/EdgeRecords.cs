using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.EndToEnd.Tests.Chaos;

/// <summary>Reads what devices stored and what the ledger holds, straight from their files.</summary>
internal static class EdgeRecords
{
    /// <summary>One ledger row, in the order the ledger inserted it.</summary>
    public sealed record LedgerRow(long Position, string EventId, string Kind, long HubReceivedMs);

    /// <summary>
    /// Returns the ids of every event an agent ever stored: its outbox numbers events from 1
    /// without gaps and keeps the last sequence number after it deleted the events it sent.
    /// </summary>
    public static IEnumerable<string> AgentEventIds(string outboxFile, string deviceId) =>
        Ids(deviceId, AgentLastSeq(outboxFile));

    /// <summary>Returns the sequence number of the last event the agent stored, 0 before its first.</summary>
    public static long AgentLastSeq(string outboxFile)
    {
        if (!File.Exists(outboxFile))
        {
            return 0;
        }

        using SqliteConnection connection = OpenReadOnly(outboxFile);
        return Math.Max(
            Scalar(connection, "SELECT COALESCE(MAX(value), 0) FROM meta WHERE name = 'last_seq'"),
            Scalar(connection, "SELECT COALESCE(MAX(seq), 0) FROM outbox"));
    }

    /// <summary>Returns the payments in an agent's outbox that the hub has not acknowledged yet.</summary>
    public static long QueuedPayments(string outboxFile)
    {
        using SqliteConnection connection = OpenReadOnly(outboxFile);
        return Scalar(connection, "SELECT COUNT(*) FROM outbox WHERE kind = 'payment'");
    }

    /// <summary>Returns the ids of every event a virtual ESP32 stored in its flash queue.</summary>
    public static IEnumerable<string> Esp32EventIds(string flashFile, string deviceId) =>
        Ids(deviceId, FlashImage.LastSequence(flashFile, sectorSize: 4096, paymentReserveSectors: 2));

    public static List<LedgerRow> LedgerRows(string ledgerFile, string hubId)
    {
        using SqliteConnection connection = OpenReadOnly(ledgerFile);
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, event_id, kind, hub_received_ms FROM ledger_events WHERE hub_id = $hub ORDER BY id
            """;
        command.Parameters.AddWithValue("$hub", hubId);
        var rows = new List<LedgerRow>();
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new LedgerRow(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? 0 : reader.GetInt64(3)));
        }

        return rows;
    }

    private static IEnumerable<string> Ids(string deviceId, long lastSeq)
    {
        for (long seq = 1; seq <= lastSeq; seq++)
        {
            yield return deviceId + ":" + seq.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static SqliteConnection OpenReadOnly(string file)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
