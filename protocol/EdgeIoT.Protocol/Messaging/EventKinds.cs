namespace EdgeIoT.Protocol.Messaging;

/// <summary>Event kinds carried on the events topic, and the reconciliation lane of each.</summary>
public static class EventKinds
{
    public const string Decision = "decision";
    public const string Payment = "payment";
    public const string Entitlement = "entitlement";
    public const string Status = "status";

    public static readonly IReadOnlyList<string> All = [Decision, Payment, Entitlement, Status];

    /// <summary>Returns the lane that reconciles this kind; payments go first.</summary>
    public static Lane LaneOf(string kind) => kind switch
    {
        Payment => Lane.Payments,
        Entitlement => Lane.Entitlements,
        Decision => Lane.CheckIns,
        _ => Lane.Telemetry,
    };
}

/// <summary>Reconciliation lanes in strict priority order: a lower value is sent first.</summary>
public enum Lane
{
    Payments = 0,
    Entitlements = 1,
    CheckIns = 2,
    Telemetry = 3,
}
