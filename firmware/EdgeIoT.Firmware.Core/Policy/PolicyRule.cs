using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Policy
{
    /// <summary>
    /// One rule of an offline policy: conditions that must all hold, and the outcome. A null
    /// list matches any value. Tier and payment conditions never match an entitlement missing
    /// from the snapshot, because the device does not know its tier or payment.
    /// </summary>
    public class PolicyRule
    {
        public string Name { get; set; }

        public GuestRole[] Roles { get; set; }

        public MembershipTier[] Tiers { get; set; }

        public PaymentStatus[] Payments { get; set; }

        /// <summary>Longest hub outage, in seconds, for which the rule applies; uint.MaxValue for any.</summary>
        public uint MaxOfflineSeconds { get; set; }

        /// <summary>0 for any, 1 when the entitlement must be in the snapshot, 2 when it must be missing.</summary>
        public byte EntitlementKnownCondition { get; set; }

        public PolicyOutcome Outcome { get; set; }

        /// <summary>Offline spend cap of a grant_limited rule, in minor units.</summary>
        public uint SpendLimitMinor { get; set; }

        /// <summary>Reason reported by a deny rule.</summary>
        public RejectReason Reason { get; set; }

        public bool Matches(PolicyInput input)
        {
            if (input.OfflineSeconds > MaxOfflineSeconds)
            {
                return false;
            }

            if (EntitlementKnownCondition == 1 && !input.EntitlementKnown)
            {
                return false;
            }

            if (EntitlementKnownCondition == 2 && input.EntitlementKnown)
            {
                return false;
            }

            if (Roles != null && !ContainsRole(input.Role))
            {
                return false;
            }

            if (Tiers != null && (!input.EntitlementKnown || !ContainsTier(input.Tier)))
            {
                return false;
            }

            return Payments == null || (input.EntitlementKnown && ContainsPayment(input.Payment));
        }

        private bool ContainsRole(GuestRole role)
        {
            for (int i = 0; i < Roles.Length; i++)
            {
                if (Roles[i] == role)
                {
                    return true;
                }
            }

            return false;
        }

        private bool ContainsTier(MembershipTier tier)
        {
            for (int i = 0; i < Tiers.Length; i++)
            {
                if (Tiers[i] == tier)
                {
                    return true;
                }
            }

            return false;
        }

        private bool ContainsPayment(PaymentStatus payment)
        {
            for (int i = 0; i < Payments.Length; i++)
            {
                if (Payments[i] == payment)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
