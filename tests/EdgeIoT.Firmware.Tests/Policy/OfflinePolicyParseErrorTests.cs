using System.Text;
using CsCheck;
using EdgeIoT.Firmware.Policy;

namespace EdgeIoT.Firmware.Tests.Policy;

public class OfflinePolicyParseErrorTests
{
    private const string Guardrails =
        "\"guardrails\":{\"maxOfflineAdmitsPerDevice\":10,\"maxOfflineSpendPerTokenMinor\":100,"
        + "\"maxOfflineSpendPerDeviceMinor\":1000,\"forwardPaymentsWithinSeconds\":60}";

    private static string Policy(string rules, string guardrails = Guardrails, string head = "\"policyId\":\"p\",\"version\":1") =>
        "{" + head + "," + guardrails + ",\"rules\":[" + rules + "]}";

    public static TheoryData<string, string> MalformedPolicies() => new()
    {
        { Policy("{\"name\":\"r\",\"when\":{\"role\":[\"guests\"]},\"outcome\":\"grant\"}"), "$.rules[0].when.role[0]: \"guests\" is not a role" },
        { Policy("{\"name\":\"r\",\"when\":{\"tier\":[\"gold\"]},\"outcome\":\"grant\"}"), "$.rules[0].when.tier[0]: \"gold\" is not a tier" },
        { Policy("{\"name\":\"r\",\"when\":{\"payment\":[\"paid\",\"maybe\"]},\"outcome\":\"grant\"}"), "$.rules[0].when.payment[1]: \"maybe\"" },
        { Policy("{\"name\":\"r\",\"when\":{},\"outcome\":\"admit\"}"), "$.rules[0].outcome: \"admit\" is not an outcome" },
        { Policy("{\"name\":\"r\",\"when\":{},\"outcome\":\"grant_limited\"}"), "$.rules[0].spendLimitMinor is missing" },
        { Policy("{\"name\":\"r\",\"when\":{},\"outcome\":\"grant\",\"spendLimitMinor\":5}"), "$.rules[0].spendLimitMinor is allowed only" },
        { Policy("{\"name\":\"r\",\"when\":{},\"outcome\":\"deny\",\"reason\":\"nope\"}"), "$.rules[0].reason: \"nope\"" },
        { Policy("{\"name\":\"r\",\"when\":{\"rol\":[\"guest\"]},\"outcome\":\"grant\"}"), "$.rules[0].when: unknown member \"rol\"" },
        { Policy("{\"name\":\"r\",\"when\":{\"maxOfflineSeconds\":-1},\"outcome\":\"grant\"}"), "$.rules[0].when.maxOfflineSeconds: -1 is out of range" },
        { Policy("{\"name\":\"r\",\"when\":{},\"outcome\":\"grant\"},{\"name\":\"r\",\"when\":{},\"outcome\":\"deny\"}"), "$.rules[1].name: \"r\" is already" },
        { Policy("{\"when\":{},\"outcome\":\"grant\"}"), "$.rules[0].name is missing" },
        { Policy(""), "$.rules must be an array of 1 to 64 rules" },
        { Policy("{\"name\":\"r\",\"when\":{},\"outcome\":\"grant\"}", head: "\"policyId\":\"p\",\"version\":0"), "$.version: 0 is out of range" },
        { Policy("{\"name\":\"r\",\"when\":{},\"outcome\":\"grant\"}", head: "\"policyId\":\"\",\"version\":1"), "$.policyId: \"\" must be 1 to 64 characters" },
        { Policy("{\"name\":\"r\",\"when\":{},\"outcome\":\"grant\"}", guardrails: "\"guardrails\":{}"), "$.guardrails.maxOfflineAdmitsPerDevice is missing" },
        { Policy("{\"name\":\"r\",\"when\":{},\"outcome\":\"grant\"}", guardrails: "\"guardrails\":[]"), "$.guardrails must be a JSON object" },
        { "{\"policyId\":\"p\",\"version\":1.5}", "invalid JSON at byte 26: number has a fraction" },
        { "{\"policyId\":\"p\",", "invalid JSON at byte 16: expected a member name" },
        { "", "JSON document is empty" },
    };

    [Theory]
    [MemberData(nameof(MalformedPolicies))]
    public void TryParse_MalformedPolicy_ErrorNamesFieldAndValue(string json, string expectedError)
    {
        OfflinePolicy? policy = OfflinePolicy.TryParse(Encoding.UTF8.GetBytes(json), out string error);

        Assert.Null(policy);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            OfflinePolicy? policy = OfflinePolicy.TryParse(bytes, out string error);
            Assert.True(policy is not null || error.Length > 0);
        }, iter: 20_000);
    }

    [Fact]
    public void TryParse_MutatedValidPolicy_NeverThrows()
    {
        byte[] valid = PolicyFiles.VenueDefaultBytes();

        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[0, 2]).Sample((index, value, mode) =>
        {
            byte[] mutated = mode switch
            {
                0 => Replace(valid, index, value),
                1 => valid[..index],
                _ => [.. valid[..index], value, .. valid[index..]],
            };

            OfflinePolicy? policy = OfflinePolicy.TryParse(mutated, out string error);
            Assert.True(policy is not null || error.Length > 0);
        }, iter: 20_000);
    }

    private static byte[] Replace(byte[] source, int index, byte value)
    {
        byte[] copy = (byte[])source.Clone();
        copy[index] = value;
        return copy;
    }
}
