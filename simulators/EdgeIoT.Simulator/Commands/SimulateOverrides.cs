using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Commands;

/// <summary>Command-line values that replace the scenario file's; null leaves the file's value.</summary>
public sealed record SimulateOverrides(
    string? GuestListFile,
    int? Seed,
    int? AgentLanes,
    int? FirmwareLanes,
    int? ArrivingGuests,
    int? WindowSeconds,
    double? RushFactor)
{
    public static SimulateOverrides None { get; } = new(null, null, null, null, null, null, null);

    /// <summary>Applies the overrides; throws <see cref="ScenarioException"/> when they leave the scenario inconsistent.</summary>
    public ScenarioOptions Apply(ScenarioOptions scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (GuestListFile is not null && Directory.Exists(GuestListFile))
        {
            throw new ScenarioException($"--guests {GuestListFile} is invalid: it is a folder. Give the path of a guest list CSV.");
        }

        if (GuestListFile is not null && !File.Exists(GuestListFile))
        {
            throw new ScenarioException($"--guests {GuestListFile} is invalid: the file was not found. Give the path of a guest list CSV.");
        }

        ScenarioOptions result = scenario with
        {
            GuestListFile = GuestListFile ?? scenario.GuestListFile,
            Seed = Seed ?? scenario.Seed,
            ArrivingGuests = ArrivingGuests ?? scenario.ArrivingGuests,
            ArrivalWindow = WindowSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : scenario.ArrivalWindow,
            RushFactor = RushFactor ?? scenario.RushFactor,
        };
        if (AgentLanes is null && FirmwareLanes is null)
        {
            return result;
        }

        IReadOnlyList<LaneSpec> lanes = scenario.ResolveLanes();
        List<LaneSpec> agents = Resize(lanes, LaneKind.Agent, AgentLanes, "agent");
        List<LaneSpec> esp32 = Resize(lanes, LaneKind.Esp32, FirmwareLanes, "esp32");
        result = result with
        {
            Lanes = [.. agents, .. esp32],
            AgentLanes = agents.Count,
            FirmwareLanes = esp32.Count,
        };
        CheckLanes(lanes, result);
        return result;
    }

    /// <summary>
    /// Keeps the first <paramref name="count"/> lanes of <paramref name="kind"/> as the scenario
    /// describes them (scanner, NFC reader, host, zone), and adds more lanes like the last one,
    /// so a lane that runs in its own process or reads NFC tags keeps doing so.
    /// </summary>
    private static List<LaneSpec> Resize(IReadOnlyList<LaneSpec> lanes, LaneKind kind, int? count, string prefix)
    {
        List<LaneSpec> ofKind = [.. lanes.Where(l => l.Kind == kind)];
        if (count is not { } wanted)
        {
            return ofKind;
        }

        List<LaneSpec> kept = [.. ofKind.Take(wanted)];
        LaneSpec model = ofKind.Count > 0 ? ofKind[^1] : kind == LaneKind.Agent
            ? new LaneSpec("agent-1", kind, ScannerKind.Camera, 0)
            : new LaneSpec("esp32-1", kind, ScannerKind.Serial, 0);
        var ids = lanes.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        for (int number = 1; kept.Count < wanted; number++)
        {
            string id = $"{prefix}-{number}";
            if (ids.Add(id))
            {
                kept.Add(model with { Id = id });
            }
        }

        return kept;
    }

    private void CheckLanes(IReadOnlyList<LaneSpec> scenarioLanes, ScenarioOptions scenario)
    {
        IReadOnlyList<LaneSpec> lanes = scenario.ResolveLanes();
        string given = LaneOptions(scenarioLanes);
        if (lanes.Count == 0)
        {
            throw new ScenarioException($"{given} leaves no lanes, which is invalid: the event needs at least one lane.");
        }

        if (lanes.Count > ScenarioValidator.MaxLanes)
        {
            throw new ScenarioException(
                $"{given} makes {lanes.Count} lanes, which is invalid: "
                + $"use at most {ScenarioValidator.MaxLanes} lanes on one machine{FittingValue(scenarioLanes)}.");
        }

        var ids = lanes.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        foreach (FaultSpec fault in scenario.Faults ?? [])
        {
            bool namesLane = fault.Target is not null and not FaultSpec.HubLedgerLink and not FaultSpec.AllLaneLinks;
            if (namesLane && !ids.Contains(fault.Target!))
            {
                throw new ScenarioException(
                    $"Fault \"{fault.Describe()}\" names lane {fault.Target}, which {given} leaves out; "
                    + $"the lanes are {string.Join(", ", ids)}.");
            }
        }
    }

    /// <summary>
    /// The lane options as the user gave them, with the scenario's lanes of the other kind when
    /// only one was given, such as "--agents 50 with the scenario's 2 ESP32 lanes".
    /// </summary>
    private string LaneOptions(IReadOnlyList<LaneSpec> scenarioLanes) => (AgentLanes, FirmwareLanes) switch
    {
        ({ } agents, { } esp32) => $"--agents {agents} with --esp32 {esp32}",
        ({ } agents, null) => $"--agents {agents} with the scenario's {CountOf(scenarioLanes, LaneKind.Esp32)} ESP32 lanes",
        (null, { } esp32) => $"--esp32 {esp32} with the scenario's {CountOf(scenarioLanes, LaneKind.Agent)} agent lanes",
        _ => "the scenario",
    };

    /// <summary>The largest value of the one lane option given that keeps the lane limit.</summary>
    private string FittingValue(IReadOnlyList<LaneSpec> scenarioLanes) => (AgentLanes, FirmwareLanes) switch
    {
        ({ }, null) => $", so --agents {ScenarioValidator.MaxLanes - CountOf(scenarioLanes, LaneKind.Esp32)} or fewer",
        (null, { }) => $", so --esp32 {ScenarioValidator.MaxLanes - CountOf(scenarioLanes, LaneKind.Agent)} or fewer",
        _ => "",
    };

    private static int CountOf(IReadOnlyList<LaneSpec> lanes, LaneKind kind) => lanes.Count(l => l.Kind == kind);
}
