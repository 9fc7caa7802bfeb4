using System.Net;
using CsCheck;

namespace EdgeIoT.Ledger.Tests;

/// <summary>Exactly-once storage under any retry pattern a hub can produce.</summary>
public sealed class ExactlyOnceProperties
{
    [Fact]
    public async Task Deliveries_AnyOrderOrRepeats_StoreDistinctOnce()
    {
        await using var target = new SqliteTarget();
        await using var ledger = await LedgerHost.StartAsync(target);

        // A scenario: batches (event indexes, repeats allowed), delivery order with every batch
        // sent one to three times, and how many deliveries run concurrently.
        var scenarios =
            from eventCount in Gen.Int[1, 30]
            from batches in Gen.Int[0, eventCount - 1].Array[1, 15].Array[1, 6]
            from repeats in Gen.Int[1, 3].Array[batches.Length]
            from order in Gen.Shuffle(Enumerable.Range(0, batches.Length)
                .SelectMany(b => Enumerable.Repeat(b, repeats[b]))
                .ToArray())
            from concurrency in Gen.Int[1, 4]
            select (batches, order, concurrency);

        await scenarios.SampleAsync(
            async scenario =>
            {
                string hubId = "hub-" + Guid.NewGuid().ToString("N");
                var (batches, order, concurrency) = scenario;
                var expected = batches.SelectMany(b => b).Distinct().Select(i => $"gate-a:{i + 1}").Order().ToList();

                int accepted = 0;
                foreach (var wave in order.Chunk(concurrency))
                {
                    var results = await Task.WhenAll(wave.Select(b => ledger.PostBatchAsync(
                        hubId,
                        batches[b].Select(i => Events.Decision("gate-a", i + 1, entitlementId: i + 1, singleEntry: false)))));
                    Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.Status));
                    accepted += results.Sum(r => r.Body!.Accepted);
                }

                var stored = await ledger.GetEventIdsAsync(hubId);
                Assert.Equal(expected, stored.Order());
                Assert.Equal(expected.Count, accepted);
                Assert.Equal(expected.Count, (await ledger.GetSummaryAsync(hubId)).Events);
            },
            iter: 40,
            threads: 2);
    }
}
