using EdgeIoT.Firmware.Crypto;
using EdgeIoT.Firmware.Json;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Policy
{
    /// <summary>
    /// The versioned offline rules that decide a scan when the hub cannot. Guardrails are
    /// checked first, then the rules in file order, and the first matching rule wins. When no
    /// rule matches, the scan is denied by the implicit rule "no-matching-rule".
    /// docs/policy.md describes the file format.
    /// </summary>
    public class OfflinePolicy
    {
        public const string AdmitCapRule = "guardrail:maxOfflineAdmitsPerDevice";
        public const string TokenSpendCapRule = "guardrail:maxOfflineSpendPerTokenMinor";
        public const string DeviceSpendCapRule = "guardrail:maxOfflineSpendPerDeviceMinor";
        public const string NoMatchingRule = "no-matching-rule";

        /// <summary>Hex characters of the SHA-256 file hash kept in <see cref="ContentHash"/>.</summary>
        public const int ContentHashLength = 16;

        private readonly PolicyRule[] _rules;

        private OfflinePolicy(string policyId, int version, string contentHash, PolicyGuardrails guardrails, PolicyRule[] rules)
        {
            PolicyId = policyId;
            Version = version;
            ContentHash = contentHash;
            Guardrails = guardrails;
            _rules = rules;
        }

        public string PolicyId { get; private set; }

        public int Version { get; private set; }

        /// <summary>First 16 lower-case hex characters of SHA-256 over the exact file bytes.</summary>
        public string ContentHash { get; private set; }

        /// <summary>"{policyId}@{version}#{contentHash}", recorded with every offline decision.</summary>
        public string VersionLabel
        {
            get { return PolicyId + "@" + Version.ToString() + "#" + ContentHash; }
        }

        public PolicyGuardrails Guardrails { get; private set; }

        public int RuleCount
        {
            get { return _rules.Length; }
        }

        public PolicyRule GetRule(int index)
        {
            return _rules[index];
        }

        /// <summary>
        /// Parses a policy file. Returns null, with <paramref name="error"/> naming the JSON path
        /// and the offending value, when the bytes are not a valid policy.
        /// </summary>
        public static OfflinePolicy TryParse(byte[] utf8Json, out string error)
        {
            JsonValue root = JsonReader.TryParse(utf8Json, out error);
            if (root == null)
            {
                return null;
            }

            PolicyParser parser = new PolicyParser();
            if (!parser.Read(root))
            {
                error = "invalid policy: " + parser.Error;
                return null;
            }

            string hash = Hex.Encode(Sha256.Hash(utf8Json), 0, ContentHashLength / 2);
            return new OfflinePolicy(parser.PolicyId, parser.Version, hash, parser.Guardrails, parser.Rules);
        }

        /// <summary>Decides one scan or offline spend from the facts in <paramref name="input"/>.</summary>
        public PolicyDecision Evaluate(PolicyInput input)
        {
            if (input == null)
            {
                throw new System.ArgumentNullException(nameof(input));
            }

            PolicyDecision guardrail = CheckGuardrails(input);
            if (guardrail != null)
            {
                return guardrail;
            }

            for (int i = 0; i < _rules.Length; i++)
            {
                if (_rules[i].Matches(input))
                {
                    return Apply(_rules[i], input);
                }
            }

            return new PolicyDecision(PolicyOutcome.Deny, NoMatchingRule, RejectReason.PolicyDenied, 0);
        }

        private PolicyDecision CheckGuardrails(PolicyInput input)
        {
            if (input.DeviceOfflineAdmits >= Guardrails.MaxOfflineAdmitsPerDevice)
            {
                return new PolicyDecision(PolicyOutcome.Deny, AdmitCapRule, RejectReason.PolicyDenied, 0);
            }

            if (input.SpendRequestedMinor == 0)
            {
                return null;
            }

            ulong tokenSpend = (ulong)input.SpendUsedMinor + input.SpendRequestedMinor;
            if (tokenSpend > Guardrails.MaxOfflineSpendPerTokenMinor)
            {
                return new PolicyDecision(PolicyOutcome.Deny, TokenSpendCapRule, RejectReason.SpendLimitExceeded, 0);
            }

            ulong deviceSpend = (ulong)input.DeviceOfflineSpendMinor + input.SpendRequestedMinor;
            if (deviceSpend > Guardrails.MaxOfflineSpendPerDeviceMinor)
            {
                return new PolicyDecision(PolicyOutcome.Deny, DeviceSpendCapRule, RejectReason.SpendLimitExceeded, 0);
            }

            return null;
        }

        private PolicyDecision Apply(PolicyRule rule, PolicyInput input)
        {
            if (rule.Outcome == PolicyOutcome.Deny)
            {
                return new PolicyDecision(PolicyOutcome.Deny, rule.Name, rule.Reason, 0);
            }

            // The token's own allowance and the guardrail cap bound every grant; a limited
            // grant narrows that further to the rule's limit.
            uint limit = Min(input.SpendAllowanceMinor, Guardrails.MaxOfflineSpendPerTokenMinor);
            if (rule.Outcome == PolicyOutcome.GrantLimited)
            {
                limit = Min(limit, rule.SpendLimitMinor);
            }

            ulong spend = (ulong)input.SpendUsedMinor + input.SpendRequestedMinor;
            if (input.SpendRequestedMinor > 0 && spend > limit)
            {
                return new PolicyDecision(PolicyOutcome.Deny, rule.Name, RejectReason.SpendLimitExceeded, 0);
            }

            return new PolicyDecision(rule.Outcome, rule.Name, RejectReason.None, limit);
        }

        private static uint Min(uint a, uint b)
        {
            return a < b ? a : b;
        }
    }
}
