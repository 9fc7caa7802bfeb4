namespace EdgeIoT.Hub.Audit;

/// <summary>Kinds of audit entries, as stored in the kind column.</summary>
public static class AuditKinds
{
    /// <summary>An admit or deny: the hub's online decision or a decision event from a device.</summary>
    public const string Decision = "decision";

    /// <summary>A payment event from a device.</summary>
    public const string Payment = "payment";

    /// <summary>A token or delegation the hub issued.</summary>
    public const string Issuance = "issuance";

    /// <summary>A key created, rotated, revoked or retired, or a new key list version.</summary>
    public const string KeyChange = "key";

    /// <summary>An offline policy file published to the devices.</summary>
    public const string PolicyChange = "policy";

    /// <summary>A change of the entitlement snapshot: an import, a walk-in or an assistant added.</summary>
    public const string Snapshot = "snapshot";

    /// <summary>A device enrolled or given a new password.</summary>
    public const string Enrollment = "enrollment";
}
