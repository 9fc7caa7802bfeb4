using System.Diagnostics;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.Tests;

public sealed class DecisionPipelineTests
{
    [Fact]
    public async Task ValidQr_HubAdmits_GateRelayPulsedAndEventStored()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        await hub.PublishVenueStateAsync(keys);
        await using var lane = new Lane(keys, folder.Path, hub.Port);
        lane.Start();
        await lane.WaitConnectedAsync(timeout.Token);
        await lane.WaitForVenueStateAsync(timeout.Token);

        AgentDecision? decision = await lane.ScanAsync(keys.Issue(1001), timeout.Token);

        Assert.NotNull(decision);
        Assert.True(decision.Admitted);
        Assert.Equal(RejectReason.None, decision.Reason);
        Assert.Equal(DecisionModes.Online, decision.Mode);
        Assert.Equal(1, lane.RelayPulses);
        CheckRequest request = await hub.CheckRequests.Reader.ReadAsync(timeout.Token);
        Assert.Equal(decision.Nonce, request.Nonce);
        EdgeEvent stored = await hub.Events.Reader.ReadAsync(timeout.Token);
        Assert.Equal("admit", stored.Outcome);
        Assert.Equal(1001, stored.EntitlementId);
        Assert.Equal($"{Lane.DeviceId}:1", stored.EventId);
        Assert.True(stored.LatencyMicros > 0);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task ForgedToken_Scanned_DeniedBadSignatureAndGateClosed()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);

        AgentDecision? decision = await lane.ScanAsync(keys.Forge(1001), timeout.Token);

        Assert.NotNull(decision);
        Assert.False(decision.Admitted);
        Assert.Equal(RejectReason.BadSignature, decision.Reason);
        Assert.Equal(DecisionModes.Local, decision.Mode);
        Assert.Equal(0, lane.RelayPulses);
        EdgeEvent stored = ReadOnlyEvent(lane.Outbox);
        Assert.Equal("deny", stored.Outcome);
        Assert.Equal("bad_signature", stored.Reason);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task SameToken_ScannedAtSecondReader_AlreadyAdmitted()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);
        string token = keys.Issue(1001);

        AgentDecision? first = await lane.ScanAsync(token, timeout.Token);
        AgentDecision? replay = await lane.Pipeline.DecideAsync(
            new ScanRead(token, ScanSource.Nfc, Stopwatch.GetTimestamp()), timeout.Token);

        Assert.True(first?.Admitted);
        Assert.NotNull(replay);
        Assert.False(replay.Admitted);
        Assert.Equal(RejectReason.AlreadyAdmitted, replay.Reason);
        Assert.Equal(1, lane.RelayPulses);
    }

    [Fact]
    public async Task SameRead_InsideDebounceWindow_CountsOnce()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);
        string token = keys.Issue(1001);

        AgentDecision? first = await lane.ScanAsync(token, timeout.Token);
        AgentDecision? repeat = await lane.ScanAsync(token, timeout.Token);

        Assert.True(first?.Admitted);
        Assert.Null(repeat);
        Assert.Equal(1, lane.Outbox.Depth);
    }

    [Fact]
    public async Task HubUnreachable_PaidGuest_OfflinePolicyAdmitsAndEventNamesPolicy()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);
        lane.Start();

        AgentDecision? decision = await lane.ScanAsync(keys.Issue(1001), timeout.Token);

        Assert.NotNull(decision);
        Assert.True(decision.Admitted);
        Assert.Equal(DecisionModes.Offline, decision.Mode);
        Assert.Equal("paid-guests", decision.PolicyRule);
        Assert.StartsWith("test-policy@3#", decision.PolicyVersion, StringComparison.Ordinal);
        Assert.Equal(1, lane.RelayPulses);
        EdgeEvent stored = ReadOnlyEvent(lane.Outbox);
        Assert.Equal("offline", stored.Mode);
        Assert.Equal(decision.PolicyVersion, stored.PolicyVersion);
        Assert.Equal("paid-guests", stored.PolicyRule);
        Assert.Equal(decision.Nonce, stored.Nonce);
        Assert.Matches("^[0-9a-f]{16}$", stored.Nonce);
        Assert.True(stored.SingleEntry);
    }

    [Fact]
    public async Task HubUnreachable_SecondAdmit_EventRecordsInputsPolicySaw()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);
        lane.Start();

        AgentDecision? first = await lane.ScanAsync(keys.Issue(1001), timeout.Token);
        AgentDecision? second = await lane.ScanAsync(keys.Issue(2001), timeout.Token);

        Assert.True(first?.Admitted);
        Assert.True(second?.Admitted);
        // Only decisions: depending on timing the lane may also store a status event between them.
        OutboxEntry[] entries = [.. lane.Outbox.ReadPending(afterSeq: 0, max: 10).Where(e => e.Kind == EventKinds.Decision)];
        Assert.Equal(2, entries.Length);
        string[] firstInputs = ProtocolJson.Deserialize<EdgeEvent>(entries[0].Payload).PolicyInputs!.Split(',');
        string[] secondInputs = ProtocolJson.Deserialize<EdgeEvent>(entries[1].Payload).PolicyInputs!.Split(',');

        // Column 6 is deviceOfflineAdmits as the policy saw it, before the admit counted.
        Assert.Equal("0", firstInputs[5]);
        Assert.Equal("1", secondInputs[5]);
        Assert.Equal("paid", secondInputs[2]);
    }

    [Fact]
    public async Task HubUnreachable_PendingPayment_OfflinePolicyDenies()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);

        AgentDecision? decision = await lane.ScanAsync(keys.Issue(1002), timeout.Token);

        Assert.NotNull(decision);
        Assert.False(decision.Admitted);
        Assert.Equal(RejectReason.PolicyDenied, decision.Reason);
        Assert.Equal("default-deny", decision.PolicyRule);
        Assert.Equal(0, lane.RelayPulses);
    }

    [Fact]
    public async Task HubSilent_CheckTimesOut_OfflineDecisionReusesNonce()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        hub.AnswerCheck = _ => null;
        await hub.PublishVenueStateAsync(keys);
        await using var lane = new Lane(keys, folder.Path, hub.Port);
        lane.Start();
        await lane.WaitConnectedAsync(timeout.Token);
        await lane.WaitForVenueStateAsync(timeout.Token);

        AgentDecision? decision = await lane.ScanAsync(keys.Issue(1001), timeout.Token);

        Assert.NotNull(decision);
        Assert.True(decision.Admitted);
        Assert.Equal(DecisionModes.Offline, decision.Mode);
        CheckRequest request = await hub.CheckRequests.Reader.ReadAsync(timeout.Token);
        Assert.Equal(request.Nonce, decision.Nonce);
        EdgeEvent stored = await hub.Events.Reader.ReadAsync(timeout.Token);
        Assert.Equal(request.Nonce, stored.Nonce);
        Assert.Equal("offline", stored.Mode);
    }

    [Fact]
    public async Task HubDenies_AlreadyAdmittedElsewhere_GateStaysClosed()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        hub.AnswerCheck = request => new CheckResponse { Nonce = request.Nonce, Outcome = "deny", Reason = "already_admitted" };
        await hub.PublishVenueStateAsync(keys);
        await using var lane = new Lane(keys, folder.Path, hub.Port);
        lane.Start();
        await lane.WaitConnectedAsync(timeout.Token);
        await lane.WaitForVenueStateAsync(timeout.Token);

        AgentDecision? decision = await lane.ScanAsync(keys.Issue(1001), timeout.Token);

        Assert.NotNull(decision);
        Assert.False(decision.Admitted);
        Assert.Equal(RejectReason.AlreadyAdmitted, decision.Reason);
        Assert.Equal(DecisionModes.Online, decision.Mode);
        Assert.Equal(0, lane.RelayPulses);
    }

    [Fact]
    public async Task HubDecidesByPolicy_EventRecordsHubRule()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        hub.AnswerCheck = request => new CheckResponse
        {
            Nonce = request.Nonce,
            Outcome = "admit",
            Reason = "none",
            PolicyVersion = "venue-default@1#0123456789abcdef",
            PolicyRule = "members-pending-short-outage",
            PolicyInputs = "guest,member,pending,true,600,0,0,0,10000,0",
        };
        await hub.PublishVenueStateAsync(keys);
        await using var lane = new Lane(keys, folder.Path, hub.Port);
        lane.Start();
        await lane.WaitConnectedAsync(timeout.Token);
        await lane.WaitForVenueStateAsync(timeout.Token);

        AgentDecision? decision = await lane.ScanAsync(keys.Issue(1001), timeout.Token);

        Assert.NotNull(decision);
        Assert.True(decision.Admitted);
        Assert.Equal(DecisionModes.Online, decision.Mode);
        EdgeEvent stored = await hub.Events.Reader.ReadAsync(timeout.Token);
        Assert.Equal("online", stored.Mode);
        Assert.Equal("venue-default@1#0123456789abcdef", stored.PolicyVersion);
        Assert.Equal("members-pending-short-outage", stored.PolicyRule);
        Assert.Equal("guest,member,pending,true,600,0,0,0,10000,0", stored.PolicyInputs);
    }

    [Fact]
    public async Task ScannerWrongLayout_Scanned_DeniedScannerMisconfigured()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);

        AgentDecision? decision = await lane.ScanAsync(keys.Issue(1001).ToLowerInvariant(), timeout.Token);

        Assert.NotNull(decision);
        Assert.Equal(RejectReason.ScannerMisconfigured, decision.Reason);
        Assert.Null(decision.EntitlementId);
        Assert.Equal(0, lane.RelayPulses);
    }

    private static EdgeEvent ReadOnlyEvent(EventOutbox outbox)
    {
        OutboxEntry entry = Assert.Single(outbox.ReadPending(afterSeq: 0, max: 10));
        return ProtocolJson.Deserialize<EdgeEvent>(entry.Payload);
    }
}
