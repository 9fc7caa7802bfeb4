namespace EdgeIoT.Firmware.Verification
{
    /// <summary>Answers whether an entitlement was cancelled or moved to a newer epoch.</summary>
    public interface IRevocationCheck
    {
        bool IsRevoked(uint entitlementId, ushort epoch);
    }
}
