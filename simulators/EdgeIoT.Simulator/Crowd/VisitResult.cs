using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Crowd;

/// <summary>What happened to one visit: the lane, the decision, when, and any sale.</summary>
public sealed record VisitResult(
    Visit Visit,
    string DeviceId,
    string DeviceClass,
    string? Role,
    LaneDecision? Decision,
    TimeSpan DecidedAt,
    int UnreadableFrames,
    LaneSale? Sale,
    long SaleAmountMinor,
    string? Error);
