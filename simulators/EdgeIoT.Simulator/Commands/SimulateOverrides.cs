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
        result = result with
        {
            Lanes = [],
            AgentLanes = AgentLanes ?? lanes.Count(l => l.Kind == LaneKind.Agent),
            FirmwareLanes = FirmwareLanes ?? lanes.Count(l => l.Kind == LaneKind.Esp32),
        };
        CheckLanes(result);
        return result;
    }

    private static void CheckLanes(ScenarioOptions scenario)
    {
        IReadOnlyList<LaneSpec> lanes = scenario.ResolveLanes();
        if (lanes.Count == 0)
        {
            throw new ScenarioException("--agents and --esp32 are both 0: the event needs at least one lane.");
        }

        if (lanes.Count > ScenarioValidator.MaxLanes)
        {
            throw new ScenarioException(
                $"--agents and --esp32 give {lanes.Count} lanes, which is invalid: use at most {ScenarioValidator.MaxLanes} lanes on one machine.");
        }

        var ids = lanes.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        foreach (FaultSpec fault in scenario.Faults ?? [])
        {
            bool namesLane = fault.Target is not null and not FaultSpec.HubLedgerLink and not FaultSpec.AllLaneLinks;
            if (namesLane && !ids.Contains(fault.Target!))
            {
                throw new ScenarioException(
                    $"Fault \"{fault.Describe()}\" names lane {fault.Target}, which --agents and --esp32 leave out; "
                    + $"the lanes are {string.Join(", ", ids)}.");
            }
        }
    }
}
