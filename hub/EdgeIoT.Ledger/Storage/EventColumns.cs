namespace EdgeIoT.Ledger.Storage;

/// <summary>The columns of ledger_events that a batch insert writes, in the order both stores bind them.</summary>
internal static class EventColumns
{
    public const string Names =
        "hub_id, event_id, device_id, kind, lane, entitlement_id, outcome, mode, device_time_ms, "
        + "hub_received_ms, ledger_received_ms, amount_minor, delegator_id, nonce, single_entry, detail, forwarded_late, body";

    /// <summary>Returns 1, 0 or null, the INTEGER form of a flag in both stores.</summary>
    public static int? ToInteger(bool? flag)
    {
        if (flag is null)
        {
            return null;
        }

        return flag.Value ? 1 : 0;
    }
}
