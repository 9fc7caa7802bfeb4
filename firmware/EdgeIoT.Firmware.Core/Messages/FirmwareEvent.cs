namespace EdgeIoT.Firmware.Messages
{
    /// <summary>
    /// The fields of an EdgeEvent that firmware produces. nanoFramework has no nullable value
    /// types, so a negative number means "absent", and absent fields are left out of the JSON.
    /// </summary>
    public class FirmwareEvent
    {
        public const string DeviceClassFirmware = "firmware";

        public FirmwareEvent()
        {
            EntitlementId = -1;
            DelegatorId = -1;
            LatencyMicros = -1;
            AmountMinor = -1;
            OfferId = -1;
        }

        public string DeviceId { get; set; }

        public string BootId { get; set; }

        public long Seq { get; set; }

        /// <summary>"decision", "payment", "entitlement" or "status".</summary>
        public string Kind { get; set; }

        public long DeviceTimeMs { get; set; }

        /// <summary>"admit" or "deny" for decisions.</summary>
        public string Outcome { get; set; }

        public string Reason { get; set; }

        /// <summary>"online" or "offline".</summary>
        public string Mode { get; set; }

        public string PolicyVersion { get; set; }

        public string PolicyRule { get; set; }

        /// <summary>Inputs of the policy decision in the case table's column order, or null.</summary>
        public string PolicyInputs { get; set; }

        public long EntitlementId { get; set; }

        /// <summary>Token id (jti) as 16 lower-case hex digits.</summary>
        public string TokenId { get; set; }

        /// <summary>snake_case role: guest, walk_in, creator, creator_assistant or staff.</summary>
        public string Role { get; set; }

        public long DelegatorId { get; set; }

        public long LatencyMicros { get; set; }

        public long AmountMinor { get; set; }

        public string Currency { get; set; }

        public long OfferId { get; set; }

        public bool HasSingleEntry { get; set; }

        public bool SingleEntry { get; set; }

        public string Nonce { get; set; }

        public string Detail { get; set; }

        /// <summary>The idempotency key "{deviceId}:{seq}".</summary>
        public string EventId
        {
            get { return DeviceId + ":" + Seq.ToString(); }
        }
    }
}
