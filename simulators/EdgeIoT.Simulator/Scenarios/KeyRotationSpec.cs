namespace EdgeIoT.Simulator.Scenarios;

/// <summary>
/// A key rotation in the middle of the event: the hub signs with a short-lived edge key whose
/// successor takes over at <see cref="At"/> (a fraction of the arrival window).
/// </summary>
public sealed record KeyRotationSpec(TimeSpan Interval, double At);
