namespace EdgeIoT.Firmware.Snapshot
{
    /// <summary>Membership tier of an entitlement, an input of the offline policy.</summary>
    public enum MembershipTier : byte
    {
        Standard = 1,
        Member = 2,
        Vip = 3,
        Staff = 4,
    }
}
