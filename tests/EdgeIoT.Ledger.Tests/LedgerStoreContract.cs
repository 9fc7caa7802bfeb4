using System.Net;
using System.Text.Json.Nodes;
using EdgeIoT.Ledger.Disputes;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Ledger.Tests;

/// <summary>
/// Behaviour every store must have, run over HTTP. Each store's test class calls these
/// scenarios from its own facts, so PostgreSQL can skip itself when no server is configured.
/// </summary>
public abstract class LedgerStoreContract
{
    private const string Hub = "venue-1";

    protected abstract ILedgerTarget CreateTarget();

    protected async Task NewBatchIsStoredOnceAsync()
    {
        await using var target = await PrepareAsync();
        await using var ledger = await LedgerHost.StartAsync(target);
        var events = new List<EdgeEvent>
        {
            Events.Decision("gate-a", 1, entitlementId: 1),
            Events.Decision("gate-b", 1, entitlementId: 2),
            Events.Payment("bar-1", 1, amountMinor: 1250),
            Events.Payment("bar-1", 2, amountMinor: 300) with { ForwardedLate = true },
        };

        var (status, body) = await ledger.PostBatchAsync(Hub, events);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, body!.Accepted);
        Assert.Equal(0, body.Duplicates);
        Assert.Empty(body.Rejected);
        Assert.Equal(events.Select(e => e.EventId).Order(), (await ledger.GetEventIdsAsync(Hub)).Order());
        var summary = await ledger.GetSummaryAsync(Hub);
        Assert.Equal(4, summary.Events);
        Assert.Equal(2, summary.ByKind["decision"]);
        Assert.Equal(2, summary.ByKind["payment"]);
        Assert.Equal(2, summary.ByDevice["bar-1"]);
        Assert.Equal(1550, summary.PaymentsTotalMinor);
        Assert.Equal(1, summary.LatePayments);
        Assert.Equal(0, summary.DuplicatesAbsorbed);
    }

    protected async Task RetriedBatchIsCountedAsDuplicatesAsync()
    {
        await using var target = await PrepareAsync();
        await using var ledger = await LedgerHost.StartAsync(target);
        var events = Events.Admits("gate-a", 3);

        await ledger.PostBatchAsync(Hub, events);
        var (status, body) = await ledger.PostBatchAsync(Hub, events);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body!.Accepted);
        Assert.Equal(3, body.Duplicates);
        Assert.Equal(3, (await ledger.GetEventIdsAsync(Hub)).Count);
        var summary = await ledger.GetSummaryAsync(Hub);
        Assert.Equal(3, summary.Events);
        Assert.Equal(3, summary.DuplicatesAbsorbed);
    }

    protected async Task RepeatWithinBatchIsCountedAsDuplicateAsync()
    {
        await using var target = await PrepareAsync();
        await using var ledger = await LedgerHost.StartAsync(target);
        var admit = Events.Decision("gate-a", 1, entitlementId: 1);

        var (status, body) = await ledger.PostBatchAsync(Hub, [admit, Events.Decision("gate-a", 2, entitlementId: 2), admit]);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body!.Accepted);
        Assert.Equal(1, body.Duplicates);
        Assert.Equal(["gate-a:1", "gate-a:2"], (await ledger.GetEventIdsAsync(Hub)).Order());
    }

    protected async Task LargeBatchWithRepeatsAndDisputesIsStoredOnceAsync()
    {
        await using var target = await PrepareAsync();
        await using var ledger = await LedgerHost.StartAsync(target);
        var stored = Events.Decision("gate-a", 1, entitlementId: 40, mode: "offline");
        await ledger.PostBatchAsync(Hub, [stored]);
        var filler = Events.Admits("gate-f", 4000);
        var secondScan = Events.Decision("gate-b", 1, entitlementId: 40, mode: "online");
        var onlineAdmit = Events.Decision("gate-c", 1, entitlementId: 50, mode: "online", nonce: "n-50");
        var offlineFallback = Events.Decision("gate-c", 2, entitlementId: 50, mode: "offline", nonce: "n-50");
        var payment = Events.Payment("bar-1", 1, amountMinor: 700);

        // The batch repeats an event stored before and one of its own, and carries both halves
        // of a double admit and of a lost reply, so the disputes form inside one insert.
        List<EdgeEvent> batch =
        [
            .. filler[..2000], stored, secondScan, onlineAdmit, payment, offlineFallback, onlineAdmit, .. filler[2000..],
        ];
        var (status, body) = await ledger.PostBatchAsync(Hub, batch);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4004, body!.Accepted);
        Assert.Equal(2, body.Duplicates);
        var ids = await ledger.GetEventIdsAsync(Hub);
        Assert.Equal(4005, ids.Count);
        Assert.Equal(4005, ids.Distinct().Count());
        var summary = await ledger.GetSummaryAsync(Hub);
        Assert.Equal(2, summary.DuplicatesAbsorbed);
        Assert.Equal(700, summary.PaymentsTotalMinor);
        var disputes = await ledger.GetDisputesAsync(Hub);
        Assert.Equal(["double_admit:40", "lost_reply:50"], disputes.Select(d => $"{d.Kind}:{d.EntitlementId}"));
        Assert.Equal(["gate-a:1", "gate-b:1"], disputes[0].EventIds);
        Assert.Equal(["gate-c:1", "gate-c:2"], disputes[1].EventIds);
    }

    protected async Task ConcurrentOverlappingRetriesStoreEachEventOnceAsync()
    {
        await using var target = await PrepareAsync();
        await using var ledger = await LedgerHost.StartAsync(target);
        string[] hubs = ["venue-1", "venue-2"];

        // Both hubs send the same device and event ids, which is allowed because the unique key is per hub.
        var events = Events.Admits("gate-a", 300);
        List<EdgeEvent>[] batches = [events[..150], events[100..250], events[200..], events];
        var deliveries = hubs
            .SelectMany(hub => batches.SelectMany(batch => new[] { (hub, batch), (hub, batch) }))
            .Select(d => ledger.PostBatchAsync(d.hub, d.batch))
            .ToList();
        var results = await Task.WhenAll(deliveries);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(2 * 300, results.Sum(r => r.Body!.Accepted));
        int delivered = 2 * 2 * batches.Sum(b => b.Count);
        Assert.Equal(delivered, results.Sum(r => r.Body!.Accepted + r.Body!.Duplicates));
        foreach (string hub in hubs)
        {
            var ids = await ledger.GetEventIdsAsync(hub);
            Assert.Equal(300, ids.Count);
            Assert.Equal(events.Select(e => e.EventId).Order(), ids.Order());
        }
    }

    protected async Task InvalidEventsAreReportedWhileGoodOnesAreStoredAsync()
    {
        await using var target = await PrepareAsync();
        await using var ledger = await LedgerHost.StartAsync(target);
        var good = Events.Admits("gate-a", 5);
        var nodes = good.Select(e => JsonNode.Parse(ProtocolJson.Serialize(e))!.AsObject()).ToList();
        nodes[1].Remove("eventId");
        nodes[2]["deviceId"] = new string('d', 500);
        nodes[3]["seq"] = -1;
        var request = new JsonObject { ["hubId"] = Hub, ["events"] = new JsonArray([.. nodes]) };

        var (status, body) = await ledger.PostBatchRawAsync(System.Text.Encoding.UTF8.GetBytes(request.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body!.Accepted);
        Assert.Equal([1, 2, 3], body.Rejected.Select(r => r.Index));
        Assert.Equal(["eventId", "deviceId", "seq"], body.Rejected.Select(r => r.Field));
        Assert.Null(body.Rejected[0].EventId);
        Assert.Equal("gate-a:4", body.Rejected[2].EventId);
        Assert.Contains("500 characters", body.Rejected[1].Message, StringComparison.Ordinal);
        Assert.Equal(["gate-a:1", "gate-a:5"], (await ledger.GetEventIdsAsync(Hub)).Order());
    }

    protected async Task NulCharacterIsRejectedWhileOthersAreStoredAsync()
    {
        await using var target = await PrepareAsync();
        await using var ledger = await LedgerHost.StartAsync(target);
        var events = Events.Admits("gate-a", 2);
        events[0] = events[0] with { Detail = "door\0forced" };

        var (status, body) = await ledger.PostBatchAsync(Hub, events);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body!.Accepted);
        var rejected = Assert.Single(body.Rejected);
        Assert.Equal("detail", rejected.Field);
        Assert.Equal(["gate-a:2"], await ledger.GetEventIdsAsync(Hub));
    }

    protected async Task AllInvalidBatchIsRejectedWith422Async()
    {
        await using var target = await PrepareAsync();
        await using var ledger = await LedgerHost.StartAsync(target);
        byte[] request = """{"hubId":"venue-1","events":[{"deviceId":"gate-a"},"not an event"]}"""u8.ToArray();

        var (status, body) = await ledger.PostBatchRawAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(0, body!.Accepted);
        Assert.Equal([0, 1], body.Rejected.Select(r => r.Index));
        Assert.Empty(await ledger.GetEventIdsAsync(Hub));
    }

    protected async Task EachDisputeKindIsDetectedAsync()
    {
        await using var target = await PrepareAsync();
        await using var ledger = await LedgerHost.StartAsync(target);
        long t = Events.BaseTimeMs;

        // The cancellation arrives after the admit it disputes, so the test shows that delivery order does not matter.
        await ledger.PostBatchAsync(Hub,
        [
            Events.Decision("gate-a", 1, entitlementId: 10, mode: "offline", nonce: "n-10a"),
            Events.Decision("gate-b", 1, entitlementId: 10, mode: "online", nonce: "n-10b"),
            Events.Decision("gate-a", 2, entitlementId: 11, mode: "online"),
            Events.Decision("gate-b", 2, entitlementId: 11, mode: "online"),
            Events.Decision("gate-a", 3, entitlementId: 12, mode: "offline", singleEntry: false),
            Events.Decision("gate-b", 3, entitlementId: 12, mode: "offline", singleEntry: false),
            Events.Decision("gate-a", 4, entitlementId: 20, deviceTimeMs: t + 2000),
            Events.Decision("gate-a", 5, entitlementId: 21, deviceTimeMs: t + 500),
        ]);
        await ledger.PostBatchAsync(Hub,
        [
            Events.Cancellation("box-office", 1, entitlementId: 20, deviceTimeMs: t + 1000),
            Events.Cancellation("box-office", 2, entitlementId: 21, deviceTimeMs: t + 1000),
            Events.Decision("gate-c", 1, entitlementId: 30, mode: "online", nonce: "n-30"),
            Events.Decision("gate-c", 2, entitlementId: 30, mode: "offline", nonce: "n-30"),
            Events.Decision("gate-c", 3, entitlementId: 31, mode: "online", nonce: "n-31", singleEntry: false),
            Events.Decision("gate-c", 4, entitlementId: 31, outcome: "deny", mode: "offline", nonce: "n-31"),
        ]);

        var disputes = await ledger.GetDisputesAsync(Hub);

        Assert.Equal(
            ["admit_after_cancel:20", "double_admit:10", "lost_reply:30", "lost_reply:31"],
            disputes.Select(d => $"{d.Kind}:{d.EntitlementId}"));
        var doubleAdmit = disputes.Single(d => d.Kind == DisputeKinds.DoubleAdmit);
        Assert.Equal(["gate-a:1", "gate-b:1"], doubleAdmit.EventIds);
        Assert.Equal(["gate-a", "gate-b"], doubleAdmit.DeviceIds);
        var afterCancel = disputes.Single(d => d.Kind == DisputeKinds.AdmitAfterCancel);
        Assert.Equal(["box-office:1", "gate-a:4"], afterCancel.EventIds);
        Assert.Equal([t + 1000, t + 2000], afterCancel.DeviceTimesMs);
        Assert.All(disputes, d => Assert.Equal(d.EventIds.Count, d.ReceivedTimesMs.Count));
        Assert.All(disputes.SelectMany(d => d.ReceivedTimesMs), ms => Assert.True(ms > 0));
        Assert.Equal("n-31", disputes.Single(d => d.EntitlementId == 31).Nonce);
        Assert.Equal(4, (await ledger.GetSummaryAsync(Hub)).Disputes);
    }

    protected async Task RestartKeepsEventsAndDuplicateCountAsync()
    {
        await using var target = await PrepareAsync();
        var events = Events.Admits("gate-a", 2);
        await using (var first = await LedgerHost.StartAsync(target))
        {
            await first.PostBatchAsync(Hub, events);
            await first.PostBatchAsync(Hub, events);
        }

        await using var second = await LedgerHost.StartAsync(target);
        var (_, body) = await second.PostBatchAsync(Hub, events);

        Assert.Equal(2, body!.Duplicates);
        var summary = await second.GetSummaryAsync(Hub);
        Assert.Equal(2, summary.Events);
        Assert.Equal(4, summary.DuplicatesAbsorbed);
    }

    private async Task<ILedgerTarget> PrepareAsync()
    {
        var target = CreateTarget();
        try
        {
            await target.PrepareAsync();
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }
}
