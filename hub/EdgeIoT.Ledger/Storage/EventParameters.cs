using System.Data;
using System.Data.Common;

namespace EdgeIoT.Ledger.Storage;

/// <summary>The parameters of the event insert, created once per batch and refilled for each row.</summary>
internal sealed class EventParameters
{
    private readonly DbParameter[] _parameters;

    private EventParameters(DbParameter[] parameters) => _parameters = parameters;

    public static EventParameters AddTo(DbCommand command)
    {
        DbParameter Add(string name, DbType type) => SqlLedgerStore.AddParameter(command, name, type, null);

        return new EventParameters(
        [
            Add("@hub_id", DbType.String),
            Add("@event_id", DbType.String),
            Add("@device_id", DbType.String),
            Add("@kind", DbType.String),
            Add("@lane", DbType.String),
            Add("@entitlement_id", DbType.Int64),
            Add("@outcome", DbType.String),
            Add("@mode", DbType.String),
            Add("@device_time_ms", DbType.Int64),
            Add("@hub_received_ms", DbType.Int64),
            Add("@ledger_received_ms", DbType.Int64),
            Add("@amount_minor", DbType.Int64),
            Add("@delegator_id", DbType.Int64),
            Add("@nonce", DbType.String),
            Add("@single_entry", DbType.Int32),
            Add("@detail", DbType.String),
            Add("@body", DbType.String),
        ]);
    }

    public void Set(string hubId, LedgerEventRow row, long ledgerReceivedMs)
    {
        object?[] values =
        [
            hubId,
            row.EventId,
            row.DeviceId,
            row.Kind,
            row.Lane,
            row.EntitlementId,
            row.Outcome,
            row.Mode,
            row.DeviceTimeMs,
            row.HubReceivedMs,
            ledgerReceivedMs,
            row.AmountMinor,
            row.DelegatorId,
            row.Nonce,
            row.SingleEntry is { } singleEntry ? (singleEntry ? 1 : 0) : null,
            row.Detail,
            row.Json,
        ];

        for (int i = 0; i < values.Length; i++)
        {
            _parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }
}
