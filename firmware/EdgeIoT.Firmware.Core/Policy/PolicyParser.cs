using EdgeIoT.Firmware.Json;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Policy
{
    /// <summary>
    /// Reads the policy JSON into rules. It is strict on purpose: an unknown member is an error,
    /// because a misspelt condition would otherwise widen a rule silently. Every error names
    /// the JSON path and the value.
    /// </summary>
    internal sealed class PolicyParser
    {
        public const int MaxRules = 64;
        public const int MaxNameLength = 64;

        private static readonly string[] RootMembers = new string[]
        {
            "policyId", "version", "description", "guardrails", "rules",
        };

        private static readonly string[] GuardrailMembers = new string[]
        {
            "maxOfflineAdmitsPerDevice", "maxOfflineSpendPerTokenMinor",
            "maxOfflineSpendPerDeviceMinor", "forwardPaymentsWithinSeconds",
        };

        private static readonly string[] RuleMembers = new string[]
        {
            "name", "description", "when", "outcome", "spendLimitMinor", "reason",
        };

        private static readonly string[] ConditionMembers = new string[]
        {
            "role", "tier", "payment", "maxOfflineSeconds", "entitlementKnown",
        };

        private string _error;

        public string Error
        {
            get { return _error; }
        }

        public string PolicyId { get; private set; }

        public int Version { get; private set; }

        public PolicyGuardrails Guardrails { get; private set; }

        public PolicyRule[] Rules { get; private set; }

        /// <summary>Reads the whole document; returns false with <see cref="Error"/> set when it is invalid.</summary>
        public bool Read(JsonValue root)
        {
            if (!ExpectMembers(root, "$", RootMembers))
            {
                return false;
            }

            PolicyId = ReadName(root, "$", "policyId");
            long version = ReadInteger(root, "$", "version", 1, int.MaxValue);
            if (_error != null)
            {
                return false;
            }

            Version = (int)version;
            Guardrails = ReadGuardrails(root.Get("guardrails"));
            if (_error != null)
            {
                return false;
            }

            Rules = ReadRules(root.Get("rules"));
            return _error == null;
        }

        private PolicyGuardrails ReadGuardrails(JsonValue value)
        {
            string path = "$.guardrails";
            if (!ExpectMembers(value, path, GuardrailMembers))
            {
                return null;
            }

            PolicyGuardrails guardrails = new PolicyGuardrails();
            guardrails.MaxOfflineAdmitsPerDevice = (uint)ReadInteger(value, path, "maxOfflineAdmitsPerDevice", 0, uint.MaxValue);
            guardrails.MaxOfflineSpendPerTokenMinor = (uint)ReadInteger(value, path, "maxOfflineSpendPerTokenMinor", 0, uint.MaxValue);
            guardrails.MaxOfflineSpendPerDeviceMinor = (uint)ReadInteger(value, path, "maxOfflineSpendPerDeviceMinor", 0, uint.MaxValue);
            guardrails.ForwardPaymentsWithinSeconds = (uint)ReadInteger(value, path, "forwardPaymentsWithinSeconds", 1, uint.MaxValue);
            return guardrails;
        }

        private PolicyRule[] ReadRules(JsonValue value)
        {
            string path = "$.rules";
            if (value == null)
            {
                return (PolicyRule[])Fail(path + " is missing; a policy needs at least one rule");
            }

            if (value.Kind != JsonKind.Array || value.Count == 0 || value.Count > MaxRules)
            {
                return (PolicyRule[])Fail(path + " must be an array of 1 to " + MaxRules.ToString() + " rules");
            }

            PolicyRule[] rules = new PolicyRule[value.Count];
            for (int i = 0; i < rules.Length; i++)
            {
                rules[i] = ReadRule(value.GetItem(i), path + "[" + i.ToString() + "]");
                if (_error != null)
                {
                    return null;
                }

                for (int j = 0; j < i; j++)
                {
                    if (rules[j].Name == rules[i].Name)
                    {
                        return (PolicyRule[])Fail(path + "[" + i.ToString() + "].name: \"" + rules[i].Name
                            + "\" is already the name of rule " + j.ToString());
                    }
                }
            }

            return rules;
        }

        private PolicyRule ReadRule(JsonValue value, string path)
        {
            if (!ExpectMembers(value, path, RuleMembers))
            {
                return null;
            }

            PolicyRule rule = new PolicyRule();
            rule.Name = ReadName(value, path, "name");
            rule.Outcome = ReadOutcome(value, path);
            if (_error != null)
            {
                return null;
            }

            ReadConditions(rule, value.Get("when"), path + ".when");
            ReadOutcomeDetails(rule, value, path);
            return _error == null ? rule : null;
        }

        private PolicyOutcome ReadOutcome(JsonValue rule, string path)
        {
            string text = ReadString(rule, path, "outcome");
            if (text == null)
            {
                return 0;
            }

            PolicyOutcome outcome = PolicyCodes.ParseOutcome(text);
            if (outcome == 0)
            {
                Fail(path + ".outcome: \"" + text + "\" is not an outcome (expected " + PolicyCodes.OutcomeNames + ")");
            }

            return outcome;
        }

        private void ReadOutcomeDetails(PolicyRule rule, JsonValue value, string path)
        {
            bool hasLimit = value.Get("spendLimitMinor") != null;
            if (rule.Outcome == PolicyOutcome.GrantLimited)
            {
                rule.SpendLimitMinor = (uint)ReadInteger(value, path, "spendLimitMinor", 0, uint.MaxValue);
            }
            else if (hasLimit)
            {
                Fail(path + ".spendLimitMinor is allowed only with outcome \"grant_limited\"");
                return;
            }

            JsonValue reason = value.Get("reason");
            if (rule.Outcome != PolicyOutcome.Deny)
            {
                if (reason != null)
                {
                    Fail(path + ".reason is allowed only with outcome \"deny\"");
                }

                return;
            }

            rule.Reason = RejectReason.PolicyDenied;
            if (reason != null)
            {
                string code = ReadString(value, path, "reason");
                rule.Reason = code == null ? RejectReason.None : PolicyCodes.ParseReason(code);
                if (code != null && rule.Reason == RejectReason.None)
                {
                    Fail(path + ".reason: \"" + code + "\" is not a reject reason code such as \"policy_denied\"");
                }
            }
        }

        private void ReadConditions(PolicyRule rule, JsonValue when, string path)
        {
            if (!ExpectMembers(when, path, ConditionMembers))
            {
                return;
            }

            rule.MaxOfflineSeconds = uint.MaxValue;
            if (when.Get("maxOfflineSeconds") != null)
            {
                rule.MaxOfflineSeconds = (uint)ReadInteger(when, path, "maxOfflineSeconds", 0, uint.MaxValue);
            }

            JsonValue known = when.Get("entitlementKnown");
            if (known != null)
            {
                if (known.Kind != JsonKind.Boolean)
                {
                    Fail(path + ".entitlementKnown must be true or false");
                    return;
                }

                rule.EntitlementKnownCondition = known.BooleanValue ? (byte)1 : (byte)2;
            }

            rule.Roles = ReadRoles(when.Get("role"), path + ".role");
            rule.Tiers = ReadTiers(when.Get("tier"), path + ".tier");
            rule.Payments = ReadPayments(when.Get("payment"), path + ".payment");
        }

        private GuestRole[] ReadRoles(JsonValue list, string path)
        {
            string[] names = ReadNameList(list, path);
            if (names == null)
            {
                return null;
            }

            GuestRole[] roles = new GuestRole[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                roles[i] = PolicyCodes.ParseRole(names[i]);
                if (roles[i] == 0)
                {
                    return (GuestRole[])FailItem(path, i, names[i], "a role", PolicyCodes.RoleNames);
                }
            }

            return roles;
        }

        private MembershipTier[] ReadTiers(JsonValue list, string path)
        {
            string[] names = ReadNameList(list, path);
            if (names == null)
            {
                return null;
            }

            MembershipTier[] tiers = new MembershipTier[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                tiers[i] = PolicyCodes.ParseTier(names[i]);
                if (tiers[i] == 0)
                {
                    return (MembershipTier[])FailItem(path, i, names[i], "a tier", PolicyCodes.TierNames);
                }
            }

            return tiers;
        }

        private PaymentStatus[] ReadPayments(JsonValue list, string path)
        {
            string[] names = ReadNameList(list, path);
            if (names == null)
            {
                return null;
            }

            PaymentStatus[] payments = new PaymentStatus[names.Length];
            for (int i = 0; i < names.Length; i++)
            {
                payments[i] = PolicyCodes.ParsePayment(names[i]);
                if (payments[i] == 0)
                {
                    return (PaymentStatus[])FailItem(path, i, names[i], "a payment status", PolicyCodes.PaymentNames);
                }
            }

            return payments;
        }

        private string[] ReadNameList(JsonValue list, string path)
        {
            if (list == null || _error != null)
            {
                return null;
            }

            if (list.Kind != JsonKind.Array || list.Count == 0)
            {
                return (string[])Fail(path + " must be a non-empty array of names; leave it out to match any value");
            }

            string[] names = new string[list.Count];
            for (int i = 0; i < names.Length; i++)
            {
                JsonValue item = list.GetItem(i);
                if (item.Kind != JsonKind.String)
                {
                    return (string[])Fail(path + "[" + i.ToString() + "] must be a string");
                }

                names[i] = item.StringValue;
            }

            return names;
        }

        private bool ExpectMembers(JsonValue value, string path, string[] allowed)
        {
            if (_error != null)
            {
                return false;
            }

            if (value == null || value.Kind != JsonKind.Object)
            {
                Fail(path + " must be a JSON object");
                return false;
            }

            for (int i = 0; i < value.Count; i++)
            {
                string name = value.GetName(i);
                if (System.Array.IndexOf(allowed, name) < 0)
                {
                    Fail(path + ": unknown member \"" + name + "\" (allowed: " + Join(allowed) + ")");
                    return false;
                }
            }

            return true;
        }

        private string ReadName(JsonValue owner, string path, string member)
        {
            string text = ReadString(owner, path, member);
            if (text != null && (text.Length == 0 || text.Length > MaxNameLength))
            {
                Fail(path + "." + member + ": \"" + text + "\" must be 1 to " + MaxNameLength.ToString() + " characters");
                return null;
            }

            return text;
        }

        private string ReadString(JsonValue owner, string path, string member)
        {
            JsonValue value = owner.Get(member);
            if (_error != null)
            {
                return null;
            }

            if (value == null || value.Kind != JsonKind.String)
            {
                Fail(path + "." + member + (value == null ? " is missing" : " must be a string"));
                return null;
            }

            return value.StringValue;
        }

        private long ReadInteger(JsonValue owner, string path, string member, long minimum, long maximum)
        {
            JsonValue value = owner.Get(member);
            if (_error != null)
            {
                return 0;
            }

            if (value == null || value.Kind != JsonKind.Integer)
            {
                Fail(path + "." + member + (value == null ? " is missing" : " must be an integer"));
                return 0;
            }

            if (value.IntegerValue < minimum || value.IntegerValue > maximum)
            {
                Fail(path + "." + member + ": " + value.IntegerValue.ToString() + " is out of range "
                    + minimum.ToString() + " to " + maximum.ToString());
                return 0;
            }

            return value.IntegerValue;
        }

        private object FailItem(string path, int index, string value, string what, string expected)
        {
            return Fail(path + "[" + index.ToString() + "]: \"" + value + "\" is not " + what
                + " (expected " + expected + ")");
        }

        private object Fail(string message)
        {
            if (_error == null)
            {
                _error = message;
            }

            return null;
        }

        private static string Join(string[] names)
        {
            string joined = names[0];
            for (int i = 1; i < names.Length; i++)
            {
                joined = joined + ", " + names[i];
            }

            return joined;
        }
    }
}
