using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeIoT.Simulator.Crowd;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// What a run has collected while it goes: its phase, the visits that finished and the parts
/// that record faults, queues and links. A run that stops early reports from this, because the
/// crowd's own result list exists only once every visit has finished.
/// </summary>
public sealed class RunSoFar
{
    private readonly ConcurrentQueue<VisitResult> _finished = new();

    /// <summary>Phase the run is in, as the progress display names it.</summary>
    public string Phase { get; set; } = "Starting the central ledger and the hub";

    public int VisitsPlanned { get; set; }

    /// <summary>The crowd's clock, started when the first visitor is due; null before that.</summary>
    public Stopwatch? CrowdClock { get; set; }

    public FaultScheduler? Faults { get; set; }

    public RunSampler? Sampler { get; set; }

    public HubLinkTracker? Links { get; set; }

    public void Finished(VisitResult result) => _finished.Enqueue(result);

    /// <summary>Describes where the run stopped; a cancellation counts as an interrupt.</summary>
    public RunInterruption Interruption(Exception error, bool interrupted)
    {
        ArgumentNullException.ThrowIfNull(error);

        return new RunInterruption(
            interrupted ? RunInterruption.Interrupted : RunInterruption.Failed,
            Phase,
            CrowdClock is { } clock ? Math.Round(clock.Elapsed.TotalSeconds, 1) : null,
            _finished.Count,
            VisitsPlanned,
            interrupted ? null : error.Message);
    }

    /// <summary>
    /// Returns what was observed up to now. Visits still at a lane and queues not yet drained
    /// are missing, which <paramref name="reconciliation"/> has to account for.
    /// </summary>
    public RunObservations Observations(
        IReadOnlyList<IGateLane> lanes,
        RunSampler emptySampler,
        ReconciliationSummary reconciliation,
        DisputeSummary disputes,
        TimeSpan duration)
    {
        List<VisitResult> visits = [.. _finished.OrderBy(v => v.Visit.Index)];
        TimeSpan crowdElapsed = CrowdClock?.Elapsed ?? TimeSpan.Zero;
        return new RunObservations(
            visits,
            Faults?.Records ?? [],
            Faults?.Outages ?? [],
            Sampler ?? emptySampler,
            Links?.OfflinePeriods(crowdElapsed) ?? [],
            reconciliation,
            disputes,
            lanes,
            duration);
    }
}
