using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Faults;

/// <summary>What the fault schedule can act on: the hub, its ledger link and the lanes.</summary>
public sealed class FaultTargets(HubNode hub, FaultProxy ledgerLink, IReadOnlyList<IGateLane> lanes)
{
    public HubNode Hub => hub;

    public IReadOnlyList<IGateLane> Lanes => lanes;

    /// <summary>The links a link fault's target names.</summary>
    public IReadOnlyList<FaultProxy> Links(string? target) => target switch
    {
        FaultSpec.HubLedgerLink => [ledgerLink],
        FaultSpec.AllLaneLinks => [.. lanes.Select(l => l.HubLink)],
        _ => [Lane(target).HubLink],
    };

    public IGateLane Lane(string? deviceId) =>
        lanes.FirstOrDefault(l => l.DeviceId == deviceId)
        ?? throw new InvalidOperationException($"Fault target {deviceId} is not a lane of this venue.");
}
