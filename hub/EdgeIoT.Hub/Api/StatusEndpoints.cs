using EdgeIoT.Hub.Checks;
using EdgeIoT.Hub.Clock;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Ledger;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Security;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Api;

/// <summary>GET /api/status, GET /api/dead-letters and GET /health.</summary>
public static class StatusEndpoints
{
    public static void MapStatusEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        routes.MapGet("/api/status", GetStatus).RequireOperator();
        routes.MapPost("/api/ledger/push", (LedgerSyncService sync) =>
        {
            sync.RequestPush();
            return Results.Accepted();
        }).RequireOperator();
        routes.MapGet("/api/dead-letters", (ReconciliationStore queue) => queue.DeadLetters()).RequireOperator();
    }

    private static StatusResponse GetStatus(
        HubOptions options, SnapshotCache snapshot, KeyRing keys, DeviceStore devices, ReconciliationStore queue,
        LedgerSyncStatus ledger, CheckLatencyWindow checks, VenueClock clock)
    {
        IReadOnlyDictionary<Lane, long> unsent = queue.UnsentCounts();
        LedgerSyncSnapshot sync = ledger.Read();
        VenueClockReading reading = clock.Read();
        DateTimeOffset now = reading.Now;
        KeyInfo? signing = keys.List().FirstOrDefault(key => key.Signing);
        long keyAgeSeconds = signing is null ? 0 : (now.ToUnixTimeMilliseconds() - signing.NotBeforeMs) / 1000;
        return new StatusResponse(
            options.Venue,
            options.EventId,
            snapshot.Version,
            keys.KeyList.Version,
            devices.ReadAll()
                .Where(d => d.DeviceClass != Mqtt.SessionIdentity.OperatorUserName)
                .Select(d => new DeviceStatusItem(d.DeviceId, d.DeviceClass, d.State, d.LastSeenMs ?? 0)).ToList(),
            new LaneCounts(
                unsent[Lane.Payments], unsent[Lane.Entitlements], unsent[Lane.CheckIns], unsent[Lane.Telemetry],
                queue.DeadLetterCount()),
            new LedgerStatusItem(sync.Reachable, sync.LastSuccessMs ?? 0, sync.Sent, sync.LastError))
        {
            Checks = checks.Read(),
            SigningKey = signing?.Kid,
            KeyAgeSeconds = keyAgeSeconds,
            LedgerUrl = options.Ledger.BaseUrl,
            HubId = options.Ledger.HubId ?? options.Venue,
            NowMs = now.ToUnixTimeMilliseconds(),
            Clock = new HubClockStatus(
                reading.StepHeld ? "hub_step" : "synchronized",
                (long)reading.WallClockDifference.TotalMilliseconds,
                (long)reading.HeldFor.TotalMilliseconds),
        };
    }
}
