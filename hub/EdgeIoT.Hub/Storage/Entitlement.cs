using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Hub.Storage;

/// <summary>One row of the entitlements table.</summary>
public sealed record Entitlement
{
    public uint Id { get; init; }

    /// <summary>Order code from the ticketing export; null for walk-ins and assistants.</summary>
    public string? OrderCode { get; init; }

    public string? AttendeeName { get; init; }

    public string? Email { get; init; }

    public required string TicketType { get; init; }

    public MembershipTier Tier { get; init; }

    public PaymentStatus Payment { get; init; }

    /// <summary>Zone the entitlement admits to; 0 admits everywhere.</summary>
    public byte Zone { get; init; }

    public string? Seat { get; init; }

    public GuestRole Role { get; init; }

    /// <summary>True for a ticket that admits once; false for re-entry passes.</summary>
    public bool SingleEntry { get; init; }

    public ushort Epoch { get; init; }

    public bool Cancelled { get; init; }

    public uint SpendAllowanceMinor { get; init; }
}
