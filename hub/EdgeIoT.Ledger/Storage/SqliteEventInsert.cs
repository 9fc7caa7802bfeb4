using Microsoft.Data.Sqlite;

namespace EdgeIoT.Ledger.Storage;

/// <summary>
/// Inserts a batch into SQLite with one prepared single-row statement, executed once per event.
/// SQLite runs in-process, so a row costs a step of the prepared statement and no round trip.
/// A multi-row VALUES list is slower here, because Microsoft.Data.Sqlite binds each named
/// parameter through sqlite3_bind_parameter_index, a linear search of the statement's names.
/// Binding n parameters then costs O(n²), and the long statement is parsed again per chunk.
/// </summary>
internal static class SqliteEventInsert
{
    private const string Sql =
        "INSERT INTO ledger_events (" + EventColumns.Names + ") VALUES ("
        + "@hub_id, @event_id, @device_id, @kind, @lane, @entitlement_id, @outcome, @mode, @device_time_ms, "
        + "@hub_received_ms, @ledger_received_ms, @amount_minor, @delegator_id, @nonce, @single_entry, @detail, "
        + "@forwarded_late, @body) ON CONFLICT (hub_id, event_id) DO NOTHING";

    private static readonly (string Name, SqliteType Type, Func<LedgerEventRow, object?> Value)[] RowColumns =
    [
        ("@event_id", SqliteType.Text, row => row.EventId),
        ("@device_id", SqliteType.Text, row => row.DeviceId),
        ("@kind", SqliteType.Text, row => row.Kind),
        ("@lane", SqliteType.Text, row => row.Lane),
        ("@entitlement_id", SqliteType.Integer, row => row.EntitlementId),
        ("@outcome", SqliteType.Text, row => row.Outcome),
        ("@mode", SqliteType.Text, row => row.Mode),
        ("@device_time_ms", SqliteType.Integer, row => row.DeviceTimeMs),
        ("@hub_received_ms", SqliteType.Integer, row => row.HubReceivedMs),
        ("@amount_minor", SqliteType.Integer, row => row.AmountMinor),
        ("@delegator_id", SqliteType.Integer, row => row.DelegatorId),
        ("@nonce", SqliteType.Text, row => row.Nonce),
        ("@single_entry", SqliteType.Integer, row => EventColumns.ToInteger(row.SingleEntry)),
        ("@detail", SqliteType.Text, row => row.Detail),
        ("@forwarded_late", SqliteType.Integer, row => EventColumns.ToInteger(row.ForwardedLate)),
        ("@body", SqliteType.Text, row => row.Json),
    ];

    /// <summary>Inserts <paramref name="rows"/> within <paramref name="transaction"/> and returns the number of new rows.</summary>
    public static int Insert(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string hubId,
        IReadOnlyList<LedgerEventRow> rows,
        long ledgerReceivedMs)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Sql;
        command.Parameters.Add("@hub_id", SqliteType.Text).Value = hubId;
        command.Parameters.Add("@ledger_received_ms", SqliteType.Integer).Value = ledgerReceivedMs;
        var parameters = Array.ConvertAll(RowColumns, column => command.Parameters.Add(column.Name, column.Type));
        command.Prepare();

        int accepted = 0;
        foreach (var row in rows)
        {
            for (int column = 0; column < RowColumns.Length; column++)
            {
                parameters[column].Value = RowColumns[column].Value(row) ?? DBNull.Value;
            }

            accepted += command.ExecuteNonQuery();
        }

        return accepted;
    }
}
