namespace EdgeIoT.Simulator.Scenarios;

/// <summary>
/// One scheduled fault. <see cref="At"/> and <see cref="Until"/> are fractions of the arrival
/// window (0 to 1), so a shortened scenario keeps its faults in the same phase of the crowd.
/// <see cref="Target"/> is a link ("hub-ledger", "all-lanes" or a lane id for that lane's hub
/// link) or a lane id; <see cref="Amount"/> is milliseconds for latency, seconds for clock faults.
/// </summary>
public sealed record FaultSpec(FaultKind Kind, string? Target, double At, double? Until, double Amount)
{
    public const string HubLedgerLink = "hub-ledger";

    public const string AllLaneLinks = "all-lanes";

    /// <summary>The default event's outages: the hub's ledger link, then the first lane's hub link during the rush.</summary>
    public static IReadOnlyList<FaultSpec> DefaultOutages(string firstLaneId) =>
    [
        new(FaultKind.Partition, HubLedgerLink, 0.25, 0.6, 0),
        new(FaultKind.Partition, firstLaneId, 0.4, 0.55, 0),
    ];

    public string Describe()
    {
        string target = Target is null ? "" : $" {Target}";
        string until = Until is { } end ? $" to {end:0.###}" : "";
        return $"{FaultKinds.ToName(Kind)}{target} at {At:0.###}{until}";
    }
}
