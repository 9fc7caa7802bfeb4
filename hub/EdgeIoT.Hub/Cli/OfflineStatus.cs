using EdgeIoT.Hub.Api;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Cli;

/// <summary>The status of a stopped hub, read from its files: no check latency, and the ledger link unknown.</summary>
public static class OfflineStatus
{
    public static StatusResponse Read(OfflineHub hub)
    {
        ArgumentNullException.ThrowIfNull(hub);

        EntitlementStore store = hub.Get<EntitlementStore>();
        ReconciliationStore queue = hub.Get<ReconciliationStore>();
        IReadOnlyDictionary<Lane, long> unsent = queue.UnsentCounts();
        uint keyListVersion;
        using (SqliteConnection connection = hub.Get<HubDatabase>().Open())
        {
            keyListVersion = EntitlementStore.ReadMeta(connection, "key_list_version", transaction: null);
        }

        return new StatusResponse(
            hub.Options.Venue,
            hub.Options.EventId,
            store.SnapshotVersion(),
            keyListVersion,
            hub.Get<DeviceStore>().ReadDetails()
                .Select(device => new DeviceStatusItem(device.DeviceId, device.DeviceClass, device.State, device.LastSeenMs ?? 0))
                .ToList(),
            new LaneCounts(
                unsent[Lane.Payments], unsent[Lane.Entitlements], unsent[Lane.CheckIns], unsent[Lane.Telemetry],
                queue.DeadLetterCount()),
            new LedgerStatusItem(Reachable: false, LastSuccessMs: 0, Sent: 0, LastError: "the hub is stopped"))
        {
            LedgerUrl = hub.Options.Ledger.BaseUrl,
            HubId = hub.Options.Ledger.HubId ?? hub.Options.Venue,
            NowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        };
    }
}
