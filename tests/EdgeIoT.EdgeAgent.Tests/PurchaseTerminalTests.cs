using EdgeIoT.EdgeAgent.Purchases;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.Tests;

public sealed class PurchaseTerminalTests
{
    [Fact]
    public async Task WalkInPurchase_HubOnline_PrintsReceiptAndDeliversPayment()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var printerSimulator = new EscPosPrinterSimulator();
        using EscPosPrinter printer = ConnectPrinter(printerSimulator);
        await using TestHub hub = await TestHub.StartAsync();
        await hub.PublishVenueStateAsync(keys);
        await using var lane = new Lane(keys, folder.Path, hub.Port, printer);
        lane.Start();
        await lane.WaitConnectedAsync(timeout.Token);
        await lane.WaitForVenueStateAsync(timeout.Token);

        PurchaseResult result = await lane.Terminal.PurchaseAsync(
            keys.Issue(2001, GuestRole.WalkIn, spendAllowanceMinor: 2500), 1200, "Lemonade", timeout.Token);

        Assert.True(result.Accepted, result.Message);
        Assert.True(result.ReceiptPrinted, result.Message);
        Assert.Equal(1300, result.SpendRemainingMinor);
        PrintedReceipt receipt = await printerSimulator.Receipts.ReadAsync(timeout.Token);
        Assert.Equal(result.ReceiptId, receipt.QrPayload);
        Assert.Contains(receipt.Lines, line => line.Contains("Lemonade", StringComparison.Ordinal));
        Assert.Equal([(byte)0x1B, (byte)0x40], receipt.Bytes[..2]);
        EdgeEvent payment = await hub.Events.Reader.ReadAsync(timeout.Token);
        Assert.Equal(EventKinds.Payment, payment.Kind);
        Assert.Equal(result.ReceiptId, payment.EventId);
        Assert.Equal(1200, payment.AmountMinor);
        Assert.Equal("EUR", payment.Currency);
        Assert.Equal(2001, payment.EntitlementId);
    }

    [Fact]
    public async Task CreatorAssistantPurchase_HubOffline_PaymentNamesDelegator()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);
        string token = keys.Issue(3001, GuestRole.CreatorAssistant, spendAllowanceMinor: 4000, delegatorId: 900);

        PurchaseResult result = await lane.Terminal.PurchaseAsync(token, 1000, "Merch", timeout.Token);

        Assert.True(result.Accepted, result.Message);
        Assert.Equal("walk-ins", result.PolicyRule);
        Assert.False(result.ReceiptPrinted);
        EdgeEvent payment = ProtocolJson.Deserialize<EdgeEvent>(
            Assert.Single(lane.Outbox.ReadPending(afterSeq: 0, max: 10)).Payload);
        Assert.Equal(900, payment.DelegatorId);
        Assert.Equal("offline", payment.Mode);
        Assert.Equal("creator_assistant", payment.Role);
    }

    [Fact]
    public async Task Purchase_OverAllowance_RejectedAndNothingQueued()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);
        string token = keys.Issue(2001, GuestRole.WalkIn, spendAllowanceMinor: 1000);

        PurchaseResult first = await lane.Terminal.PurchaseAsync(token, 600, "Coffee", timeout.Token);
        PurchaseResult second = await lane.Terminal.PurchaseAsync(token, 500, "Cake", timeout.Token);

        Assert.True(first.Accepted, first.Message);
        Assert.False(second.Accepted);
        Assert.Equal(RejectReason.SpendLimitExceeded, second.Reason);
        Assert.Contains("400", second.Message, StringComparison.Ordinal);
        Assert.Null(second.ReceiptId);
        Assert.Equal(1, lane.Outbox.Depth);
    }

    [Fact]
    public async Task Purchase_GuestToken_RejectedWithRole()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);

        PurchaseResult result = await lane.Terminal.PurchaseAsync(
            keys.Issue(1001, GuestRole.Guest, spendAllowanceMinor: 1000), 100, "Water", timeout.Token);

        Assert.False(result.Accepted);
        Assert.Equal(RejectReason.PolicyDenied, result.Reason);
        Assert.Contains("guest", result.Message, StringComparison.Ordinal);
        Assert.Equal(0, lane.Outbox.Depth);
    }

    [Fact]
    public async Task Purchase_PrinterOutOfPaper_SaleKept()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var printerSimulator = new EscPosPrinterSimulator { PaperOut = true };
        using EscPosPrinter printer = ConnectPrinter(printerSimulator);
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort(), printer);
        lane.InstallVenueState(keys);

        PurchaseResult result = await lane.Terminal.PurchaseAsync(
            keys.Issue(2001, GuestRole.WalkIn, spendAllowanceMinor: 2000), 700, "Crisps", timeout.Token);

        Assert.True(result.Accepted, result.Message);
        Assert.False(result.ReceiptPrinted);
        Assert.True(result.Printer?.PaperOut);
        Assert.Contains("paper out True", result.Message, StringComparison.Ordinal);
        OutboxEntry stored = Assert.Single(lane.Outbox.ReadPending(afterSeq: 0, max: 10));
        Assert.Equal(EventKinds.Payment, stored.Kind);
    }

    private static EscPosPrinter ConnectPrinter(EscPosPrinterSimulator simulator) =>
        EscPosPrinter.ForTcp(new EscPosPrinterOptions { Host = "127.0.0.1", Port = simulator.Port });
}
