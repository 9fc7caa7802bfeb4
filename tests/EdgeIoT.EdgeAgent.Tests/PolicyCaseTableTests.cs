using System.Globalization;
using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Verification;
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

    /// <summary>
    /// Rows an entry scan can express. Rows with spend are purchases, and rows with earlier
    /// offline admits need that many admits first, so the firmware table test covers those.
    /// </summary>
    public static TheoryData<string> EntryRows()
    {
        var data = new TheoryData<string>();
        foreach (string line in File.ReadAllLines(PathOf("venue-default.cases.tsv")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] c = line.Split('\t');
            if (c[5] == "0" && c[6] == "0" && c[7] == "0" && c[9] == "0")
            {
                data.Add(line);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EntryRows))]
    public async Task VenueDefault_EntryRow_DecidesAsListed(string row)
    {
        string[] c = row.Split('\t');
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        InstallState(lane, keys, known: bool.Parse(c[3]), PolicyCodes.ParseTier(c[1]), PolicyCodes.ParsePayment(c[2]));
        var hub = new UnreachableHub(TimeSpan.FromSeconds(uint.Parse(c[4], CultureInfo.InvariantCulture)));
        using var pipeline = new DecisionPipeline(
            new DecisionPipelineSettings { DeviceId = Lane.DeviceId },
            lane.State, lane.Clock, hub, lane.Outbox, lane.Gate);
        string token = keys.Issue(
            EntitlementId, PolicyCodes.ParseRole(c[0]), spendAllowanceMinor: uint.Parse(c[8], CultureInfo.InvariantCulture));

        AgentDecision? decision = await pipeline.DecideAsync(
            new Hardware.ScanRead(token, Hardware.ScanSource.Qr, System.Diagnostics.Stopwatch.GetTimestamp()), timeout.Token);

        Assert.NotNull(decision);
        Assert.Equal(c[10] != "deny", decision.Admitted);
        Assert.Equal(c[11], decision.PolicyRule);
        Assert.Equal(c[12], RejectReasons.ToCode(decision.Reason));
        Assert.Equal(DecisionModes.Offline, decision.Mode);
        Assert.Equal(lane.State.Policy!.VersionLabel, decision.PolicyVersion);
        EdgeEvent stored = ProtocolJson.Deserialize<EdgeEvent>(Assert.Single(lane.Outbox.ReadPending(0, 10)).Payload);
        Assert.Equal(decision.PolicyRule, stored.PolicyRule);
        Assert.Equal(decision.PolicyVersion, stored.PolicyVersion);
        string[] inputs = stored.PolicyInputs!.Split(',');
        Assert.Equal(c[0], inputs[0]);
        Assert.Equal(c[3..10], inputs[3..10]);
        if (bool.Parse(c[3]))
        {
            Assert.Equal(c[1..3], inputs[1..3]);
        }
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
