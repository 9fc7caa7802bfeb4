namespace EdgeIoT.Firmware.Snapshot
{
    /// <summary>What a gate knows about one entitlement when it cannot ask the hub.</summary>
    public class EntitlementRecord
    {
        public uint EntitlementId { get; set; }

        public MembershipTier Tier { get; set; }

        public PaymentStatus Payment { get; set; }

        public bool Cancelled { get; set; }

        /// <summary>True for a ticket that admits once; false for re-entry passes.</summary>
        public bool SingleEntry { get; set; }

        /// <summary>Current epoch; tokens carrying an older epoch are revoked.</summary>
        public ushort Epoch { get; set; }
    }
}
