namespace EdgeIoT.Hub.Audit;

/// <summary>Actors of audit entries that are not devices; a device's entries name its device id.</summary>
public static class AuditActors
{
    /// <summary>The hub itself: online decisions, key rotation, token issuance through its API.</summary>
    public const string Hub = "hub";

    /// <summary>An operator through the runbook CLI or the HTTP API's operator routes.</summary>
    public const string Operator = "operator";
}
