namespace EdgeIoT.EdgeAgent.Decisions;

/// <summary>Lane settings the decision path needs; the host fills them from <c>AgentOptions</c>.</summary>
public sealed record DecisionPipelineSettings
{
    public required string DeviceId { get; init; }

    /// <summary>Zone of this lane; 0 accepts tokens of every zone.</summary>
    public byte Zone { get; init; }

    public TimeSpan OnlineCheckTimeout { get; init; } = TimeSpan.FromMilliseconds(150);

    public TimeSpan DebounceWindow { get; init; } = TimeSpan.FromSeconds(2.5);

    public TimeSpan PassageTimeout { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Token ids remembered for replay detection; see <c>SeenSet</c> for sizing.</summary>
    public int SeenCapacity { get; init; } = 512;
}
