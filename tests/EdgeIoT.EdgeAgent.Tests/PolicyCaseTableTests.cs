using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.PolicyCases;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.Tests;

/// <summary>
/// Runs the shared policy case table (tests/policy-cases) through the agent's whole decision
/// path: a signed token with the row's role and allowance, a snapshot with the row's tier and
/// payment, and a hub that has been unreachable for the row's offline time, so the offline
/// policy decides.
/// </summary>
public sealed class PolicyCaseTableTests
{
    private const uint EntitlementId = 5001;

    [Theory]
    [MemberData(nameof(PolicyCase.EntryRows), MemberType = typeof(PolicyCase))]
    public async Task VenueDefault_EntryRow_DecidesAsListed(string text)
    {
        PolicyCase row = PolicyCase.Parse(text);
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        InstallState(lane, keys, row.Input.EntitlementKnown, row.Input.Tier, row.Input.Payment);
        var hub = new UnreachableHub(TimeSpan.FromSeconds(row.Input.OfflineSeconds));
        using var pipeline = new DecisionPipeline(
            new DecisionPipelineSettings { DeviceId = Lane.DeviceId },
            lane.State, lane.Clock, hub, lane.Outbox, lane.Gate);
        string token = keys.Issue(
            EntitlementId, row.Input.Role, spendAllowanceMinor: row.Input.SpendAllowanceMinor);

        AgentDecision? decision = await pipeline.DecideAsync(
            new Hardware.ScanRead(token, Hardware.ScanSource.Qr, System.Diagnostics.Stopwatch.GetTimestamp()), timeout.Token);

        Assert.NotNull(decision);
        Assert.Equal(row.Grants, decision.Admitted);
        Assert.Equal(row.Rule, decision.PolicyRule);
        Assert.Equal(row.Reason, RejectReasons.ToCode(decision.Reason));
        Assert.Equal(DecisionModes.Offline, decision.Mode);
        Assert.Equal(lane.State.Policy!.VersionLabel, decision.PolicyVersion);
        EdgeEvent stored = ProtocolJson.Deserialize<EdgeEvent>(Assert.Single(lane.Outbox.ReadPending(0, 10)).Payload);
        Assert.Equal(decision.PolicyRule, stored.PolicyRule);
        Assert.Equal(decision.PolicyVersion, stored.PolicyVersion);
        row.AssertRecordedInputs(stored.PolicyInputs);
    }

    private static void InstallState(Lane lane, VenueKeys keys, bool known, MembershipTier tier, PaymentStatus payment)
    {
        EntitlementRecord record = known
            ? new EntitlementRecord { EntitlementId = EntitlementId, Tier = tier, Payment = payment, SingleEntry = true }
            : new EntitlementRecord { EntitlementId = EntitlementId + 1, Tier = tier, Payment = payment };
        Assert.True(lane.State.TryApplyKeys(keys.SignedKeyList));
        Assert.True(lane.State.TryApplySnapshot(EntitlementSnapshot.Encode(8, VenueKeys.EventId, [record])));
        Assert.True(lane.State.TryApplyPolicy(File.ReadAllBytes(PathOf("venue-default.json"))));
    }

    private static string PathOf(string fileName) => Path.Combine(AppContext.BaseDirectory, "policies", fileName);

    /// <summary>A hub that has been unreachable for a set time.</summary>
    private sealed class UnreachableHub(TimeSpan offlineFor) : IOnlineCheck
    {
        public bool IsConnected => false;

        public TimeSpan OfflineFor => offlineFor;

        public Task<CheckResponse?> CheckAsync(CheckRequest request, TimeSpan timeout, CancellationToken cancellationToken) =>
            Task.FromResult<CheckResponse?>(null);

        public void PublishScanNotice(ScanNotice notice)
        {
        }
    }
}
