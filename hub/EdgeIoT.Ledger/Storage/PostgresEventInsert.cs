using Npgsql;
using NpgsqlTypes;

namespace EdgeIoT.Ledger.Storage;

/// <summary>
/// Inserts a batch into PostgreSQL with one statement: each column travels as one array
/// parameter in Npgsql's binary format, and unnest turns the arrays back into rows. The batch
/// costs one round trip and one plan whatever its size, and ON CONFLICT DO NOTHING skips
/// events already stored as well as repeats within the batch.
/// </summary>
internal static class PostgresEventInsert
{
    // WITH ORDINALITY and ORDER BY keep the caller's event-id order, which concurrent writers
    // rely on to take the unique index's locks in the same order.
    private const string Sql =
        "INSERT INTO ledger_events (" + EventColumns.Names + ") "
        + "SELECT @hub_id, e.event_id, e.device_id, e.kind, e.lane, e.entitlement_id, e.outcome, e.mode, "
        + "e.device_time_ms, e.hub_received_ms, @ledger_received_ms, e.amount_minor, e.delegator_id, e.nonce, "
        + "e.single_entry, e.detail, e.forwarded_late, CAST(e.body AS jsonb) "
        + "FROM unnest(@event_id, @device_id, @kind, @lane, @entitlement_id, @outcome, @mode, @device_time_ms, "
        + "@hub_received_ms, @amount_minor, @delegator_id, @nonce, @single_entry, @detail, @forwarded_late, @body) "
        + "WITH ORDINALITY AS e (event_id, device_id, kind, lane, entitlement_id, outcome, mode, device_time_ms, "
        + "hub_received_ms, amount_minor, delegator_id, nonce, single_entry, detail, forwarded_late, body, position) "
        + "ORDER BY e.position "
        + "ON CONFLICT (hub_id, event_id) DO NOTHING";

    /// <summary>Inserts <paramref name="rows"/> within <paramref name="transaction"/> and returns the number of new rows.</summary>
    public static async Task<int> InsertAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string hubId,
        IReadOnlyList<LedgerEventRow> rows,
        long ledgerReceivedMs,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Sql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string>("hub_id", NpgsqlDbType.Text) { TypedValue = hubId });
        command.Parameters.Add(new NpgsqlParameter<long>("ledger_received_ms", NpgsqlDbType.Bigint) { TypedValue = ledgerReceivedMs });
        AddArray(command, "event_id", NpgsqlDbType.Text, rows, row => row.EventId);
        AddArray(command, "device_id", NpgsqlDbType.Text, rows, row => row.DeviceId);
        AddArray(command, "kind", NpgsqlDbType.Text, rows, row => row.Kind);
        AddArray(command, "lane", NpgsqlDbType.Text, rows, row => row.Lane);
        AddArray(command, "entitlement_id", NpgsqlDbType.Bigint, rows, row => row.EntitlementId);
        AddArray(command, "outcome", NpgsqlDbType.Text, rows, row => row.Outcome);
        AddArray(command, "mode", NpgsqlDbType.Text, rows, row => row.Mode);
        AddArray(command, "device_time_ms", NpgsqlDbType.Bigint, rows, row => row.DeviceTimeMs);
        AddArray(command, "hub_received_ms", NpgsqlDbType.Bigint, rows, row => row.HubReceivedMs);
        AddArray(command, "amount_minor", NpgsqlDbType.Bigint, rows, row => row.AmountMinor);
        AddArray(command, "delegator_id", NpgsqlDbType.Bigint, rows, row => row.DelegatorId);
        AddArray(command, "nonce", NpgsqlDbType.Text, rows, row => row.Nonce);
        AddArray(command, "single_entry", NpgsqlDbType.Integer, rows, row => EventColumns.ToInteger(row.SingleEntry));
        AddArray(command, "detail", NpgsqlDbType.Text, rows, row => row.Detail);
        AddArray(command, "forwarded_late", NpgsqlDbType.Integer, rows, row => EventColumns.ToInteger(row.ForwardedLate));
        AddArray(command, "body", NpgsqlDbType.Text, rows, row => row.Json);

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddArray<T>(
        NpgsqlCommand command,
        string name,
        NpgsqlDbType elementType,
        IReadOnlyList<LedgerEventRow> rows,
        Func<LedgerEventRow, T> value)
    {
        var values = new T[rows.Count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        command.Parameters.Add(new NpgsqlParameter<T[]>(name, NpgsqlDbType.Array | elementType) { TypedValue = values });
    }
}
