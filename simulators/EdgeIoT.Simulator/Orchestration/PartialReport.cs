using EdgeIoT.Simulator.Reporting;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Builds the report of a run that stopped early from <see cref="RunSoFar"/>, and takes a
/// snapshot of the ledger in place of the drain a finished run waits for.
/// </summary>
public sealed partial class PartialReport(RunSoFar run, string hubId, ILogger logger)
{
    // The user already requested a stop, so the ledger gets a few seconds to respond, not the drain timeout.
    private static readonly TimeSpan LedgerTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Returns the partial report, or null when even that could not be built (the log then
    /// names the cause). <paramref name="interrupted"/> is true after Ctrl-C and false after an error.
    /// </summary>
    public async Task<EventReport?> TryBuildAsync(
        ReportBuilder builder,
        HubNode hub,
        LedgerNode ledger,
        IReadOnlyList<IGateLane> lanes,
        Exception cause,
        bool interrupted,
        TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(lanes);

        RunInterruption interruption = run.Interruption(cause, interrupted);
        LogStopped(logger, interruption.Reason, interruption.Phase, interruption.VisitsFinished, interruption.VisitsPlanned);
        try
        {
            (ReconciliationSummary reconciliation, DisputeSummary disputes) = await LedgerSnapshotAsync(ledger, lanes);
            RunObservations observations = run.Observations(
                lanes, new RunSampler(hub, lanes, logger), reconciliation, disputes, duration);
            return builder.BuildPartial(observations, interruption);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            LogPartialReportFailed(logger, ex);
            return null;
        }
    }

    /// <summary>
    /// Counts events produced at the edge and those already in the ledger. Queues were not
    /// drained, so the difference may still be on its way; <c>lost</c> stays 0 because it was not judged.
    /// </summary>
    private async Task<(ReconciliationSummary, DisputeSummary)> LedgerSnapshotAsync(
        LedgerNode ledger, IReadOnlyList<IGateLane> lanes)
    {
        HashSet<string> produced = [.. lanes.SelectMany(l => EventSimulation.EventIds(l.DeviceId, l.LastSequence))];
        using var timeout = new CancellationTokenSource(LedgerTimeout);
        try
        {
            IReadOnlyList<string> inLedger = await ledger.Client.EventIdsAsync(hubId, timeout.Token);
            LedgerSummary summary = await ledger.Client.SummaryAsync(hubId, timeout.Token);
            DisputeSummary disputes = await EventSimulation.DisputesAsync(ledger, timeout.Token);
            var ledgerIds = inLedger.ToHashSet();
            var reconciliation = new ReconciliationSummary(
                ProducedAtEdge: produced.Count,
                InLedger: produced.Count(ledgerIds.Contains),
                Lost: 0,
                AppliedTwice: inLedger.Count - ledgerIds.Count,
                DuplicatesAbsorbed: summary.DuplicatesAbsorbed,
                LostEventIds: []);
            return (reconciliation, disputes);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            LogLedgerUnreachable(logger, ex);
            return (
                new ReconciliationSummary(produced.Count, 0, 0, 0, 0, []),
                new DisputeSummary(0, new Dictionary<string, int>()));
        }
    }

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Run {Reason} during {Phase} after {Finished} of {Planned} visits; building a partial report")]
    private static partial void LogStopped(ILogger logger, string reason, string phase, int finished, int planned);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ledger did not answer for the partial report; its counts are 0")]
    private static partial void LogLedgerUnreachable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The partial report could not be built")]
    private static partial void LogPartialReportFailed(ILogger logger, Exception exception);
}
