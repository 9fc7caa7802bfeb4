using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Ledger;
using EdgeIoT.Hub.Storage;
using EdgeIoT.PolicyCases;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Protocol.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// The hub's online check during a central ledger outage: the offline policy decides, with
/// offlineSeconds counted from the last time the ledger responded, and the response carries the
/// policy label, rule and inputs that the device's decision event records.
/// </summary>
public sealed class OutagePolicyTests
{
    private static readonly string PolicyPath = Path.Combine(AppContext.BaseDirectory, "policies", "venue-default.json");

    [Theory]
    [MemberData(nameof(PolicyCase.EntryRows), MemberType = typeof(PolicyCase))]
    public async Task VenueDefault_EntryRow_HubDecidesAsListed(string text)
    {
        PolicyCase row = PolicyCase.Parse(text);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using HubHarness hub = await HubHarness.StartAsync(options => options.PolicyFile = PolicyPath, time: clock);
        GuestRole role = row.Input.Role;
        uint allowance = row.Input.SpendAllowanceMinor;
        Entitlement stored = AddEntitlement(hub, role, row.Input.Tier, row.Input.Payment, allowance);
        uint entitlementId = row.Input.EntitlementKnown ? stored.Id : stored.Id + 1000;
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");
        await StartLedgerOutageAsync(hub);
        clock.Advance(TimeSpan.FromSeconds(row.Input.OfflineSeconds));
        string token = Issue(hub, entitlementId, role, allowance, stored.Epoch, clock.GetUtcNow());

        CheckResponse response = await gate.CheckAsync(token);

        Assert.Equal(row.Grants ? "admit" : "deny", response.Outcome);
        Assert.Equal(row.Rule, response.PolicyRule);
        Assert.Equal(row.Reason, response.Reason);
        Assert.Equal(hub.App.Services.GetRequiredService<Checks.HubPolicy>().Current!.VersionLabel, response.PolicyVersion);
        row.AssertRecordedInputs(response.PolicyInputs);
    }

    [Fact]
    public async Task Check_LedgerAnswering_SnapshotDecidesWithoutPolicy()
    {
        await using FakeLedger ledger = await FakeLedger.StartAsync();
        await using HubHarness hub = await HubHarness.StartAsync(options =>
        {
            options.PolicyFile = PolicyPath;
            options.Ledger.BaseUrl = ledger.BaseUrl;
        });
        Entitlement stored = AddEntitlement(hub, GuestRole.Guest, MembershipTier.Standard, PaymentStatus.Pending, 0);
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");
        await PublishEventAsync(hub, "gate-2");
        await ledger.WaitForAcceptedCountAsync(1);

        CheckResponse response = await gate.CheckAsync(Issue(hub, stored.Id, GuestRole.Guest, 0, stored.Epoch, DateTimeOffset.UtcNow));

        Assert.Equal("admit", response.Outcome);
        Assert.Null(response.PolicyRule);
        Assert.Null(response.PolicyVersion);
    }

    [Fact]
    public async Task SingleEntry_CheckedTwiceInOutage_SecondDenied()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options => options.PolicyFile = PolicyPath);
        Entitlement stored = AddEntitlement(hub, GuestRole.Guest, MembershipTier.Standard, PaymentStatus.Paid, 0);
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");
        await StartLedgerOutageAsync(hub);
        string token = Issue(hub, stored.Id, GuestRole.Guest, 0, stored.Epoch, DateTimeOffset.UtcNow);

        CheckResponse first = await gate.CheckAsync(token);
        CheckResponse second = await gate.CheckAsync(token);

        Assert.Equal("admit", first.Outcome);
        Assert.Equal("paid-guests", first.PolicyRule);
        Assert.Equal("deny", second.Outcome);
        Assert.Equal("already_admitted", second.Reason);
    }

    [Fact]
    public async Task Check_OutageWithoutPolicyFile_UnknownEntitlementDenied()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        Entitlement stored = AddEntitlement(hub, GuestRole.Staff, MembershipTier.Staff, PaymentStatus.Paid, 0);
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");
        await StartLedgerOutageAsync(hub);

        CheckResponse response = await gate.CheckAsync(
            Issue(hub, stored.Id + 1000, GuestRole.Staff, 0, stored.Epoch, DateTimeOffset.UtcNow));

        Assert.Equal("unknown_entitlement", response.Reason);
        Assert.Null(response.PolicyRule);
    }

    private static Entitlement AddEntitlement(
        HubHarness hub, GuestRole role, MembershipTier tier, PaymentStatus payment, uint allowanceMinor)
    {
        var store = hub.App.Services.GetRequiredService<EntitlementStore>();
        uint id = store.Add(new Entitlement
        {
            TicketType = "Case Table",
            Role = role,
            Tier = tier,
            Payment = payment,
            SingleEntry = role == GuestRole.Guest,
            SpendAllowanceMinor = allowanceMinor,
        });
        hub.App.Services.GetRequiredService<SnapshotCache>().Rebuild();
        return store.FindById(id)!;
    }

    private static string Issue(HubHarness hub, uint entitlementId, GuestRole role, uint allowanceMinor, ushort epoch, DateTimeOffset now)
    {
        var claims = new TokenClaims
        {
            Type = TokenType.Session,
            EventId = hub.Options.EventId,
            LifetimeSeconds = 120,
            EntitlementId = entitlementId,
            Epoch = epoch,
            Role = role,
            SpendAllowanceMinor = allowanceMinor,
        };
        return TokenIssuer.IssueQrText(claims, hub.App.Services.GetRequiredService<KeyRing>().SigningKeyAt(now), now);
    }

    /// <summary>Queues one event so the hub pushes to its ledger address, where nothing listens, and waits for the failure.</summary>
    private static async Task StartLedgerOutageAsync(HubHarness hub)
    {
        await PublishEventAsync(hub, "ledger-probe");
        var status = hub.App.Services.GetRequiredService<LedgerSyncStatus>();
        using var timeout = new CancellationTokenSource(HubHarness.Timeout);
        while (!status.TryReadOutage(out _))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeout.Token);
        }
    }

    private static async Task PublishEventAsync(HubHarness hub, string deviceId)
    {
        MQTTnet.IMqttClient device = await hub.ConnectDeviceAsync(deviceId);
        MQTTnet.MqttClientPublishResult result = await device.PublishEventAsync(hub.Options.Venue, TestData.Event(deviceId, 1));
        Assert.True(result.IsSuccess, result.ReasonCode.ToString());
    }
}
