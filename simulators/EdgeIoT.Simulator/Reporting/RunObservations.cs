using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Reporting;

/// <summary>Everything a run observed, handed to <see cref="ReportBuilder"/> at the end.</summary>
public sealed record RunObservations(
    IReadOnlyList<VisitResult> Visits,
    IReadOnlyList<FaultRecord> Faults,
    IReadOnlyList<OutageRecord> Outages,
    RunSampler Samples,
    IReadOnlyList<OfflinePeriod> OfflinePeriods,
    ReconciliationSummary Reconciliation,
    DisputeSummary Disputes,
    IReadOnlyList<IGateLane> Lanes,
    TimeSpan Duration);
