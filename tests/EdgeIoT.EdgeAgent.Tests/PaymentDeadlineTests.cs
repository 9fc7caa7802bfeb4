using EdgeIoT.EdgeAgent.Purchases;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.Tests;

/// <summary>The policy's forwardPaymentsWithinSeconds (3600 s in the test policy) on an offline lane.</summary>
public sealed class PaymentDeadlineTests
{
    [Fact]
    public async Task OverduePayment_SafeModeUntilForwarded()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);
        long twoHoursAgoMs = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeMilliseconds();
        EdgeEvent old = lane.Outbox.Append(
            EventKinds.Payment, twoHoursAgoMs, static (draft, time) => draft with { DeviceTimeMs = time, AmountMinor = 900 });
        string token = keys.Issue(2001, GuestRole.WalkIn, spendAllowanceMinor: 2500);

        PurchaseResult inSafeMode = await lane.Terminal.PurchaseAsync(token, 500, "Lemonade", timeout.Token);
        lane.Outbox.Acknowledge(old.Seq);
        PurchaseResult afterForwarding = await lane.Terminal.PurchaseAsync(token, 500, "Lemonade", timeout.Token);

        Assert.False(inSafeMode.Accepted);
        Assert.Equal(RejectReason.PolicyDenied, inSafeMode.Reason);
        Assert.Equal(PaymentDeadline.Rule, inSafeMode.PolicyRule);
        Assert.Contains(old.EventId, inSafeMode.Message, StringComparison.Ordinal);
        Assert.True(afterForwarding.Accepted, afterForwarding.Message);
        string[] statuses = StatusDetails(lane.Outbox);
        Assert.Equal(2, statuses.Length);
        Assert.StartsWith("payments overdue: payment " + old.EventId, statuses[0], StringComparison.Ordinal);
        Assert.StartsWith("payments forwarded", statuses[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecentPayment_OfflineSaleAccepted()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);
        long tenMinutesAgoMs = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();
        lane.Outbox.Append(EventKinds.Payment, tenMinutesAgoMs, static (draft, time) => draft with { DeviceTimeMs = time, AmountMinor = 900 });

        PurchaseResult result = await lane.Terminal.PurchaseAsync(
            keys.Issue(2001, GuestRole.WalkIn, spendAllowanceMinor: 2500), 500, "Lemonade", timeout.Token);

        Assert.True(result.Accepted, result.Message);
        Assert.Empty(StatusDetails(lane.Outbox));
    }

    private static string[] StatusDetails(EventOutbox outbox) =>
    [
        .. outbox.ReadPending(afterSeq: 0, max: 100)
            .Where(entry => entry.Kind == EventKinds.Status)
            .Select(entry => ProtocolJson.Deserialize<EdgeEvent>(entry.Payload).Detail!),
    ];
}
