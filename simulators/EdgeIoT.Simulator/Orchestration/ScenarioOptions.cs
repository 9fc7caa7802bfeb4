namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// What one simulated event contains. The defaults are the default scenario: a few
/// thousand guests through three agent lanes and two ESP32 lanes in about a minute and a
/// half, with a 10x rush and two network outages.
/// </summary>
public sealed record ScenarioOptions
{
    public string Name { get; init; } = "default";

    /// <summary>Seed of every random choice, so two runs with the same seed make the same decisions.</summary>
    public int Seed { get; init; } = 42;

    public required string GuestListFile { get; init; }

    public required string DataDirectory { get; init; }

    public required string PolicyFile { get; init; }

    public int AgentLanes { get; init; } = 3;

    public int FirmwareLanes { get; init; } = 2;

    /// <summary>How many guests of the list arrive; 0 means all of them.</summary>
    public int ArrivingGuests { get; init; }

    public int WalkIns { get; init; } = 40;

    public int CreatorAssistants { get; init; } = 2;

    /// <summary>Forged, replayed and malformed codes presented among the crowd.</summary>
    public int BadActors { get; init; } = 30;

    /// <summary>Length of the arrival window; the whole run takes this plus start-up and drain.</summary>
    public TimeSpan ArrivalWindow { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>Arrival rate during the rush, as a multiple of the base rate.</summary>
    public double RushFactor { get; init; } = 10;

    /// <summary>Start and length of the rush, as fractions of the arrival window.</summary>
    public double RushStart { get; init; } = 0.35;

    public double RushLength { get; init; } = 0.2;

    /// <summary>Hub to central ledger outage, as fractions of the arrival window.</summary>
    public double LedgerOutageStart { get; init; } = 0.25;

    public double LedgerOutageEnd { get; init; } = 0.6;

    /// <summary>Outage between the first agent lane and the hub, as fractions of the arrival window.</summary>
    public double LaneOutageStart { get; init; } = 0.4;

    public double LaneOutageEnd { get; init; } = 0.55;

    /// <summary>Share of camera frames degraded so that decoding fails and the guest rescans.</summary>
    public double BlurShare { get; init; } = 0.02;

    /// <summary>Longest wait for queues to drain to the ledger once the network is back.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Scan-to-gate latency that counts as a failure of the "instant check-in" promise.</summary>
    public TimeSpan LatencyBudget { get; init; } = TimeSpan.FromMilliseconds(200);
}
