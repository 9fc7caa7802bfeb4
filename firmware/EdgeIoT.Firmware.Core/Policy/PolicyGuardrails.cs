namespace EdgeIoT.Firmware.Policy
{
    /// <summary>Hard limits checked before any rule, so a permissive rule cannot exceed them.</summary>
    public class PolicyGuardrails
    {
        /// <summary>Offline admits one device may grant before it denies every scan until the hub is back.</summary>
        public uint MaxOfflineAdmitsPerDevice { get; set; }

        public uint MaxOfflineSpendPerTokenMinor { get; set; }

        public uint MaxOfflineSpendPerDeviceMinor { get; set; }

        /// <summary>Seconds within which a device must forward offline payments to the hub.</summary>
        public uint ForwardPaymentsWithinSeconds { get; set; }
    }
}
