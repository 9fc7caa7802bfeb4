namespace EdgeIoT.LoadBench;

/// <summary>
/// The offered load: <see cref="Gates"/> gates share <see cref="BaseRate"/> check-ins per second
/// in the normal phase and <see cref="BaseRate"/> times <see cref="RushFactor"/> in the rush phase.
/// </summary>
public sealed record LoadProfile
{
    public int Gates { get; init; } = 50;

    /// <summary>Check-ins per second over all gates in the normal phase.</summary>
    public int BaseRate { get; init; } = 1000;

    public int RushFactor { get; init; } = 10;

    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan PhaseDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>QoS 1 publishes one gate may have waiting for their PUBACK; a gate at the limit waits.</summary>
    public int MaxInFlightPerGate { get; init; } = 200;

    public string Venue { get; init; } = "popup";

    public int RushRate => BaseRate * RushFactor;
}
