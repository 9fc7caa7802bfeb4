namespace EdgeIoT.Firmware.Policy
{
    /// <summary>Result of an offline policy rule. The values are stored in the flash queue, so they never change.</summary>
    public enum PolicyOutcome : byte
    {
        Grant = 1,

        /// <summary>Admit, with offline spend capped at the rule's limit.</summary>
        GrantLimited = 2,
        Deny = 3,
    }
}
