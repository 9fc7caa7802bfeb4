namespace EdgeIoT.LoadBench;

/// <summary>Phases of one target in one round, and whether every acknowledged event reached its destination.</summary>
public sealed record TargetReport(string Target, PhaseResult Normal, PhaseResult Rush, long Acknowledged, long Delivered)
{
    /// <summary>True when the destination contains at least every acknowledged event: nothing acknowledged was lost.</summary>
    public bool NoAcknowledgedEventLost => Delivered >= Acknowledged;

    /// <summary>Processor time of a hub in its own process over the normal and rush phases; null otherwise.</summary>
    public TimeSpan? HubProcessorTime { get; init; }
}
