using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Thrown when a run stops before its end, after Ctrl-C or an error. It carries the partial
/// report built from what the run collected; <see cref="Exception.InnerException"/> is the cause.
/// </summary>
public sealed class SimulationStoppedException : Exception
{
    public SimulationStoppedException(EventReport partialReport, Exception cause)
        : base($"The simulation stopped early: {cause?.Message}", cause)
    {
        ArgumentNullException.ThrowIfNull(partialReport);

        PartialReport = partialReport;
    }

    public EventReport PartialReport { get; }
}
