using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Policy
{
    /// <summary>
    /// The snake_case names of roles, tiers, payment statuses and outcomes, as they appear in
    /// policy files and in event JSON. A name that is not listed here maps to 0.
    /// </summary>
    public static class PolicyCodes
    {
        public const string RoleNames = "guest, walk_in, creator, creator_assistant, staff";
        public const string TierNames = "standard, member, vip, staff";
        public const string PaymentNames = "paid, pending, failed, refunded, complimentary";
        public const string OutcomeNames = "grant, grant_limited, deny";

        public static string RoleToCode(GuestRole role)
        {
            switch (role)
            {
                case GuestRole.Guest: return "guest";
                case GuestRole.WalkIn: return "walk_in";
                case GuestRole.Creator: return "creator";
                case GuestRole.CreatorAssistant: return "creator_assistant";
                case GuestRole.Staff: return "staff";
                default: return "unknown";
            }
        }

        public static string TierToCode(MembershipTier tier)
        {
            switch (tier)
            {
                case MembershipTier.Standard: return "standard";
                case MembershipTier.Member: return "member";
                case MembershipTier.Vip: return "vip";
                case MembershipTier.Staff: return "staff";
                default: return "unknown";
            }
        }

        public static string PaymentToCode(PaymentStatus payment)
        {
            switch (payment)
            {
                case PaymentStatus.Paid: return "paid";
                case PaymentStatus.Pending: return "pending";
                case PaymentStatus.Failed: return "failed";
                case PaymentStatus.Refunded: return "refunded";
                case PaymentStatus.Complimentary: return "complimentary";
                default: return "unknown";
            }
        }

        public static string OutcomeToCode(PolicyOutcome outcome)
        {
            switch (outcome)
            {
                case PolicyOutcome.Grant: return "grant";
                case PolicyOutcome.GrantLimited: return "grant_limited";
                case PolicyOutcome.Deny: return "deny";
                default: return "unknown";
            }
        }

        /// <summary>Returns the role with this name, or 0 when there is none.</summary>
        public static GuestRole ParseRole(string code)
        {
            for (byte value = 1; value <= (byte)GuestRole.Staff; value++)
            {
                if (RoleToCode((GuestRole)value) == code)
                {
                    return (GuestRole)value;
                }
            }

            return 0;
        }

        /// <summary>Returns the tier with this name, or 0 when there is none.</summary>
        public static MembershipTier ParseTier(string code)
        {
            for (byte value = 1; value <= (byte)MembershipTier.Staff; value++)
            {
                if (TierToCode((MembershipTier)value) == code)
                {
                    return (MembershipTier)value;
                }
            }

            return 0;
        }

        /// <summary>Returns the payment status with this name, or 0 when there is none.</summary>
        public static PaymentStatus ParsePayment(string code)
        {
            for (byte value = 1; value <= (byte)PaymentStatus.Complimentary; value++)
            {
                if (PaymentToCode((PaymentStatus)value) == code)
                {
                    return (PaymentStatus)value;
                }
            }

            return 0;
        }

        /// <summary>Returns the outcome with this name, or 0 when there is none.</summary>
        public static PolicyOutcome ParseOutcome(string code)
        {
            for (byte value = 1; value <= (byte)PolicyOutcome.Deny; value++)
            {
                if (OutcomeToCode((PolicyOutcome)value) == code)
                {
                    return (PolicyOutcome)value;
                }
            }

            return 0;
        }

        /// <summary>Returns the reject reason with this snake_case code, or None when there is none.</summary>
        public static RejectReason ParseReason(string code)
        {
            for (int value = 1; value <= 255; value++)
            {
                if (RejectReasons.ToCode((RejectReason)value) == code)
                {
                    return (RejectReason)value;
                }
            }

            return RejectReason.None;
        }
    }
}
