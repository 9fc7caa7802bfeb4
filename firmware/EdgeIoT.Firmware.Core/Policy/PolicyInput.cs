using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Policy
{
    /// <summary>The facts one offline decision is made from. Amounts are minor currency units.</summary>
    public class PolicyInput
    {
        public GuestRole Role { get; set; }

        /// <summary>Tier from the snapshot; meaningful only when <see cref="EntitlementKnown"/> is true.</summary>
        public MembershipTier Tier { get; set; }

        /// <summary>Payment status from the snapshot; meaningful only when <see cref="EntitlementKnown"/> is true.</summary>
        public PaymentStatus Payment { get; set; }

        /// <summary>True when the device's snapshot contains the token's entitlement.</summary>
        public bool EntitlementKnown { get; set; }

        /// <summary>Seconds since the device last heard from the hub.</summary>
        public uint OfflineSeconds { get; set; }

        /// <summary>Admits this device granted offline since it last reached the hub.</summary>
        public uint DeviceOfflineAdmits { get; set; }

        /// <summary>Offline spend already made on this token.</summary>
        public uint SpendUsedMinor { get; set; }

        /// <summary>Spend this decision is for; 0 for an entry scan.</summary>
        public uint SpendRequestedMinor { get; set; }

        /// <summary>Spend allowance carried in the token.</summary>
        public uint SpendAllowanceMinor { get; set; }

        /// <summary>Offline spend this device accepted across all tokens since it last reached the hub.</summary>
        public uint DeviceOfflineSpendMinor { get; set; }

        /// <summary>
        /// Returns the inputs comma-separated in the column order of the policy case table (role,
        /// tier, payment, entitlementKnown, offlineSeconds, deviceOfflineAdmits, spendUsedMinor,
        /// spendRequestedMinor, spendAllowanceMinor, deviceOfflineSpendMinor), as events record them.
        /// </summary>
        public string ToCaseColumns()
        {
            return PolicyCodes.RoleToCode(Role) + "," + PolicyCodes.TierToCode(Tier) + ","
                + PolicyCodes.PaymentToCode(Payment) + "," + (EntitlementKnown ? "true" : "false") + ","
                + OfflineSeconds.ToString() + "," + DeviceOfflineAdmits.ToString() + ","
                + SpendUsedMinor.ToString() + "," + SpendRequestedMinor.ToString() + ","
                + SpendAllowanceMinor.ToString() + "," + DeviceOfflineSpendMinor.ToString();
        }
    }
}
