using System.Text.Json;
using EdgeIoT.EdgeAgent.Configuration;
using EdgeIoT.EdgeAgent.Hosting;
using EdgeIoT.EdgeAgent.Purchases;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeIoT.EdgeAgent.Tests;

/// <summary>
/// The till folder after a crash between a stored sale and the deletion of its request: the
/// restarted agent must return the first sale and charge nothing again.
/// </summary>
public sealed class PurchaseInboxTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task RequestAfterCrash_SoldOnce()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        string inbox = Path.Combine(folder.Path, "purchases");
        Directory.CreateDirectory(inbox);
        string token = keys.Issue(2001, GuestRole.WalkIn, spendAllowanceMinor: 2500);
        string request = Path.Combine(inbox, "sale-000001.json");
        await File.WriteAllTextAsync(
            request, JsonSerializer.Serialize(new { token, amountMinor = 450, description = "Festival tote" }), timeout.Token);
        string firstReceipt;
        await using (var crashed = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort()))
        {
            // The agent before the crash: the sale is stored, and the request file stays behind.
            crashed.InstallVenueState(keys);
            PurchaseResult first = await crashed.Terminal.PurchaseAsync(token, 450, "Festival tote", "sale-000001", timeout.Token);
            Assert.True(first.Accepted, first.Message);
            firstReceipt = first.ReceiptId!;
        }

        await using var restarted = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        restarted.InstallVenueState(keys);
        PurchaseResult replayed = await RunInboxUntilResultAsync(restarted, inbox, "sale-000001", timeout.Token);

        Assert.True(replayed.Accepted, replayed.Message);
        Assert.Equal(firstReceipt, replayed.ReceiptId);
        Assert.False(File.Exists(request));
        EdgeEvent payment = ProtocolJson.Deserialize<EdgeEvent>(
            Assert.Single(restarted.Outbox.ReadPending(afterSeq: 0, max: 10)).Payload);
        Assert.Equal(firstReceipt, payment.EventId);
        Assert.Equal(450, restarted.Outbox.SpendUsedMinor(Convert.ToUInt64(payment.TokenId, 16)));
    }

    [Fact]
    public async Task TwoRequests_SameToken_BothSold()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);
        string token = keys.Issue(2001, GuestRole.WalkIn, spendAllowanceMinor: 2500);

        PurchaseResult first = await lane.Terminal.PurchaseAsync(token, 450, "Tote", "sale-1", timeout.Token);
        PurchaseResult second = await lane.Terminal.PurchaseAsync(token, 450, "Tote", "sale-2", timeout.Token);

        Assert.True(first.Accepted, first.Message);
        Assert.True(second.Accepted, second.Message);
        Assert.NotEqual(first.ReceiptId, second.ReceiptId);
        Assert.Equal(1600, second.SpendRemainingMinor);
    }

    private static async Task<PurchaseResult> RunInboxUntilResultAsync(
        Lane lane, string inbox, string name, CancellationToken cancellationToken)
    {
        var options = Options.Create(new AgentOptions { DataDirectory = lane.DataDirectory, PurchaseInbox = inbox });
        using var service = new PurchaseInboxService(
            lane.Terminal, options, TimeProvider.System, NullLogger<PurchaseInboxService>.Instance);
        await service.StartAsync(cancellationToken);
        string resultFile = Path.Combine(inbox, name + ".result.json");
        try
        {
            // The service polls its folder every 20 ms, so the test polls for its result file.
            while (!File.Exists(resultFile) || File.Exists(Path.Combine(inbox, name + ".json")))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        return JsonSerializer.Deserialize<PurchaseResult>(await File.ReadAllTextAsync(resultFile, cancellationToken), Json)!;
    }
}
