using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// What one simulated event contains. The defaults are the default scenario: a few
/// thousand guests through three agent lanes and two ESP32 lanes in about a minute and a
/// half, with a 10x rush and two network outages. Scenario files
/// (<see cref="ScenarioLoader"/>) set every property.
/// </summary>
public sealed record ScenarioOptions
{
    public string Name { get; init; } = "default";

    /// <summary>Seed of every random choice, so two runs with the same seed make the same decisions.</summary>
    public int Seed { get; init; } = 42;

    public required string GuestListFile { get; init; }

    public required string DataDirectory { get; init; }

    public required string PolicyFile { get; init; }

    /// <summary>Where the hub runs; <see cref="HubHost.Process"/> makes a hub power loss a SIGKILL of a real process.</summary>
    public HubHost HubHost { get; init; } = HubHost.Simulator;

    /// <summary>Agent lanes used when <see cref="Lanes"/> is empty.</summary>
    public int AgentLanes { get; init; } = 3;

    /// <summary>ESP32 lanes used when <see cref="Lanes"/> is empty.</summary>
    public int FirmwareLanes { get; init; } = 2;

    /// <summary>The venue's lanes in start order; empty means <see cref="AgentLanes"/> and <see cref="FirmwareLanes"/> camera lanes.</summary>
    public IReadOnlyList<LaneSpec> Lanes { get; init; } = [];

    /// <summary>
    /// How long agent lanes wait for the hub's online check; null keeps the agent's default.
    /// A longer wait keeps machine load from turning an online decision into an offline one.
    /// </summary>
    public TimeSpan? OnlineCheckTimeout { get; init; }

    /// <summary>How many guests of the list arrive; 0 means all of them.</summary>
    public int ArrivingGuests { get; init; }

    public int WalkIns { get; init; } = 40;

    public int CreatorAssistants { get; init; } = 2;

    /// <summary>Guests who leave after their admit and come back later with a fresh token.</summary>
    public int ReEntries { get; init; }

    public BadActorMix BadActors { get; init; } = new();

    /// <summary>Length of the arrival window; the whole run takes this plus start-up and drain.</summary>
    public TimeSpan ArrivalWindow { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>Arrival rate during the rush, as a multiple of the base rate.</summary>
    public double RushFactor { get; init; } = 10;

    /// <summary>Start and length of the rush, as fractions of the arrival window.</summary>
    public double RushStart { get; init; } = 0.35;

    public double RushLength { get; init; } = 0.2;

    /// <summary>Faults on a schedule; <see cref="FaultSpec.DefaultOutages"/> when none are given.</summary>
    public IReadOnlyList<FaultSpec>? Faults { get; init; }

    /// <summary>Share of camera frames degraded so that decoding fails and the guest rescans.</summary>
    public double BlurShare { get; init; } = 0.02;

    /// <summary>Share of camera frames that show only part of the code (a thumb, the screen edge).</summary>
    public double PartialShare { get; init; }

    /// <summary>Share of serial scanner reads sent twice, as a scanner that retriggers does.</summary>
    public double DoubleReadShare { get; init; }

    /// <summary>Share of serial scanner reads sent with an AIM identifier and ECI escape in front.</summary>
    public double EciPrefixShare { get; init; }

    /// <summary>Share of pre-registered guests who hold their token on an NFC tag at a lane with an NFC reader.</summary>
    public double NfcTagShare { get; init; }

    /// <summary>Share of admitted guests who turn back instead of walking through, so the admit is annulled.</summary>
    public double TurnBackShare { get; init; }

    /// <summary>Share of admitted guests followed through the gate by a second person.</summary>
    public double TailgateShare { get; init; }

    /// <summary>Key rotation; null keeps the hub's 20-minute interval, so no rotation falls into the event.</summary>
    public KeyRotationSpec? KeyRotation { get; init; }

    /// <summary>Expected outcomes; <see cref="Expectation.Defaults"/> when null.</summary>
    public IReadOnlyList<Expectation>? Expectations { get; init; }

    /// <summary>Longest wait for queues to drain to the ledger once the network is back.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Lanes in start order, from <see cref="Lanes"/> or the lane counts.</summary>
    public IReadOnlyList<LaneSpec> ResolveLanes()
    {
        if (Lanes.Count > 0)
        {
            return Lanes;
        }

        var lanes = new List<LaneSpec>();
        lanes.AddRange(Enumerable.Range(1, AgentLanes).Select(i => new LaneSpec($"agent-{i}", LaneKind.Agent, ScannerKind.Camera, 0)));
        lanes.AddRange(Enumerable.Range(1, FirmwareLanes).Select(i => new LaneSpec($"esp32-{i}", LaneKind.Esp32, ScannerKind.Serial, 0)));
        return lanes;
    }
}
