using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;

namespace EdgeIoT.Ledger.Storage;

/// <summary>Builds multi-row inserts of ledger events, so a batch costs one round trip per chunk instead of per event.</summary>
internal static class EventParameters
{
    /// <summary>
    /// Rows per INSERT statement. 500 rows of 16 parameters plus 2 shared ones make 8002, below
    /// SQLite's default limit of 32766 host parameters (3.32 and later) and PostgreSQL's 65535.
    /// </summary>
    public const int RowsPerStatement = 500;

    public const string Columns =
        "hub_id, event_id, device_id, kind, lane, entitlement_id, outcome, mode, device_time_ms, "
        + "hub_received_ms, ledger_received_ms, amount_minor, delegator_id, nonce, single_entry, detail, forwarded_late, body";

    private static readonly (string Name, DbType Type)[] RowColumns =
    [
        ("event_id", DbType.String),
        ("device_id", DbType.String),
        ("kind", DbType.String),
        ("lane", DbType.String),
        ("entitlement_id", DbType.Int64),
        ("outcome", DbType.String),
        ("mode", DbType.String),
        ("device_time_ms", DbType.Int64),
        ("hub_received_ms", DbType.Int64),
        ("amount_minor", DbType.Int64),
        ("delegator_id", DbType.Int64),
        ("nonce", DbType.String),
        ("single_entry", DbType.Int32),
        ("detail", DbType.String),
        ("forwarded_late", DbType.Int32),
        ("body", DbType.String),
    ];

    /// <summary>Returns the INSERT of <paramref name="rowCount"/> rows, which share @hub_id and @ledger_received_ms.</summary>
    public static string InsertSql(int rowCount, string bodyValueSql)
    {
        var sql = new StringBuilder("INSERT INTO ledger_events (").Append(Columns).Append(") VALUES ");
        for (int row = 0; row < rowCount; row++)
        {
            sql.Append(row == 0 ? "(" : ", (")
                .Append(CultureInfo.InvariantCulture, $"@hub_id, @event_id_{row}, @device_id_{row}, @kind_{row}, ")
                .Append(CultureInfo.InvariantCulture, $"@lane_{row}, @entitlement_id_{row}, @outcome_{row}, @mode_{row}, ")
                .Append(CultureInfo.InvariantCulture, $"@device_time_ms_{row}, @hub_received_ms_{row}, @ledger_received_ms, ")
                .Append(CultureInfo.InvariantCulture, $"@amount_minor_{row}, @delegator_id_{row}, @nonce_{row}, ")
                .Append(CultureInfo.InvariantCulture, $"@single_entry_{row}, @detail_{row}, @forwarded_late_{row}, ")
                .Append(bodyValueSql.Replace("@body", $"@body_{row}", StringComparison.Ordinal))
                .Append(')');
        }

        return sql.Append(" ON CONFLICT (hub_id, event_id) DO NOTHING").ToString();
    }

    /// <summary>Adds the parameters of <see cref="InsertSql"/> for these rows.</summary>
    public static void AddTo(DbCommand command, string hubId, IReadOnlyList<LedgerEventRow> rows, long ledgerReceivedMs)
    {
        SqlLedgerStore.AddParameter(command, "@hub_id", DbType.String, hubId);
        SqlLedgerStore.AddParameter(command, "@ledger_received_ms", DbType.Int64, ledgerReceivedMs);
        for (int row = 0; row < rows.Count; row++)
        {
            object?[] values = Values(rows[row]);
            for (int column = 0; column < RowColumns.Length; column++)
            {
                var (name, type) = RowColumns[column];
                string parameterName = string.Create(CultureInfo.InvariantCulture, $"@{name}_{row}");
                SqlLedgerStore.AddParameter(command, parameterName, type, values[column]);
            }
        }
    }

    private static object?[] Values(LedgerEventRow row) =>
    [
        row.EventId,
        row.DeviceId,
        row.Kind,
        row.Lane,
        row.EntitlementId,
        row.Outcome,
        row.Mode,
        row.DeviceTimeMs,
        row.HubReceivedMs,
        row.AmountMinor,
        row.DelegatorId,
        row.Nonce,
        ToInteger(row.SingleEntry),
        row.Detail,
        ToInteger(row.ForwardedLate),
        row.Json,
    ];

    private static int? ToInteger(bool? flag)
    {
        if (flag is null)
        {
            return null;
        }

        return flag.Value ? 1 : 0;
    }
}
