using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.PolicyCases;

namespace EdgeIoT.Firmware.Tests.Policy;

public class OfflinePolicyCaseTableTests
{
    [Theory]
    [MemberData(nameof(PolicyCase.AllRows), MemberType = typeof(PolicyCase))]
    public void VenueDefault_CaseTableRow_DecidesAsListed(string text)
    {
        PolicyCase row = PolicyCase.Parse(text);

        PolicyDecision decision = PolicyFiles.VenueDefault().Evaluate(row.Input);

        Assert.Equal(row.Outcome, PolicyCodes.OutcomeToCode(decision.Outcome));
        Assert.Equal(row.Rule, decision.RuleName);
        Assert.Equal(row.Reason, RejectReasons.ToCode(decision.Reason));
        Assert.Equal(row.SpendLimitMinor, decision.SpendLimitMinor);
        Assert.Equal(row.Grants, decision.IsGrant);
    }

    [Fact]
    public void VenueDefault_Parsed_HasVersionLabelWithContentHash()
    {
        byte[] bytes = PolicyFiles.VenueDefaultBytes();
        string expectedHash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16];

        OfflinePolicy policy = PolicyFiles.VenueDefault();

        Assert.Equal("venue-default", policy.PolicyId);
        Assert.Equal(1, policy.Version);
        Assert.Equal(expectedHash, policy.ContentHash);
        Assert.Equal("venue-default@1#" + expectedHash, policy.VersionLabel);
        Assert.Equal(5, policy.RuleCount);
        Assert.Equal(5000u, policy.Guardrails.MaxOfflineAdmitsPerDevice);
        Assert.Equal(86400u, policy.Guardrails.ForwardPaymentsWithinSeconds);
    }

    [Fact]
    public void Evaluate_NoRuleMatches_DeniesWithImplicitRule()
    {
        byte[] json = """
            {"policyId":"staff-only","version":2,
             "guardrails":{"maxOfflineAdmitsPerDevice":10,"maxOfflineSpendPerTokenMinor":0,
                           "maxOfflineSpendPerDeviceMinor":0,"forwardPaymentsWithinSeconds":60},
             "rules":[{"name":"staff","when":{"role":["staff"]},"outcome":"grant"}]}
            """u8.ToArray();
        OfflinePolicy? policy = OfflinePolicy.TryParse(json, out string error);
        Assert.True(policy is not null, error);

        PolicyDecision decision = policy.Evaluate(new PolicyInput { Role = EdgeIoT.Firmware.Tokens.GuestRole.Guest });

        Assert.Equal(PolicyOutcome.Deny, decision.Outcome);
        Assert.Equal(OfflinePolicy.NoMatchingRule, decision.RuleName);
        Assert.Equal(RejectReason.PolicyDenied, decision.Reason);
    }

    [Fact]
    public void TryParse_OneByteChanged_ChangesContentHash()
    {
        byte[] original = PolicyFiles.VenueDefaultBytes();
        byte[] changed = (byte[])original.Clone();
        int index = Array.IndexOf(changed, (byte)'5');
        changed[index] = (byte)'4';

        OfflinePolicy? a = OfflinePolicy.TryParse(original, out _);
        OfflinePolicy? b = OfflinePolicy.TryParse(changed, out string error);

        Assert.NotNull(a);
        Assert.True(b is not null, error);
        Assert.NotEqual(a.ContentHash, b.ContentHash);
    }
}
