namespace EdgeIoT.Simulator.Reporting;

/// <summary>
/// Why and where a run stopped before its end. A report that carries one is partial: it
/// covers the visits that finished, its queues were not drained, and its expected outcomes
/// were not judged.
/// </summary>
/// <param name="Reason"><c>interrupted</c> after Ctrl-C (SIGINT), <c>failed</c> after an error.</param>
/// <param name="Phase">Phase the run was in, as the progress display names it.</param>
/// <param name="CrowdSecond">Seconds since the first visitor was due, or null when the crowd had not started.</param>
/// <param name="VisitsFinished">Visits that ended with or without a decision before the stop.</param>
/// <param name="VisitsPlanned">Visits the crowd plan held, 0 when it was not built yet.</param>
/// <param name="Error">The error's message for a failed run, null after Ctrl-C.</param>
public sealed record RunInterruption(
    string Reason, string Phase, double? CrowdSecond, int VisitsFinished, int VisitsPlanned, string? Error)
{
    public const string Interrupted = "interrupted";

    public const string Failed = "failed";

    /// <summary>A one-line account of where the run stopped, for the console and the HTML banner.</summary>
    public string Describe()
    {
        string at = CrowdSecond is { } second
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", {second:F1} s into the crowd")
            : "";
        return $"phase \"{Phase}\"{at}, {VisitsFinished} of {VisitsPlanned} visits finished";
    }
}
