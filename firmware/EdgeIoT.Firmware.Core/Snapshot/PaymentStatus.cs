namespace EdgeIoT.Firmware.Snapshot
{
    /// <summary>Last payment status the hub knew for an entitlement.</summary>
    public enum PaymentStatus : byte
    {
        Paid = 1,
        Pending = 2,
        Failed = 3,
        Refunded = 4,
        Complimentary = 5,
    }
}
