using EdgeIoT.Simulator.Orchestration;
using Spectre.Console;

namespace EdgeIoT.Simulator.Commands;

/// <summary>Shows the phases, the crowd and the drain as progress bars.</summary>
public sealed class SpectreProgress(ProgressContext context) : ISimulationProgress
{
    private ProgressTask? _phase;
    private ProgressTask? _crowd;
    private ProgressTask? _drain;
    private long _drainStart = -1;
    private int _admitted;
    private int _visited;

    public void Phase(string description)
    {
        Finish(_phase);
        _phase = context.AddTask(description, maxValue: 1);
        _phase.IsIndeterminate = true;
    }

    public void CrowdStarted(int visits)
    {
        // The phase ends here; finishing it again later would move its stop time and lengthen it.
        Finish(_phase);
        _phase = null;
        _crowd = context.AddTask($"Visitors at the gates (0 of {visits})", maxValue: visits);
    }

    public void Visited(bool admitted)
    {
        if (_crowd is null)
        {
            return;
        }

        int visited = Interlocked.Increment(ref _visited);
        int admits = admitted ? Interlocked.Increment(ref _admitted) : Volatile.Read(ref _admitted);
        _crowd.Increment(1);
        _crowd.Description = $"Visitors at the gates ({visited} of {_crowd.MaxValue:F0}, {admits} admitted)";
    }

    public void Draining(long remaining)
    {
        if (_drainStart < 0)
        {
            _drainStart = Math.Max(1, remaining);
            _drain = context.AddTask("Queues draining to the ledger", maxValue: _drainStart);
        }

        _drain!.Value = Math.Max(0, _drainStart - remaining);
        _drain.Description = $"Queues draining to the ledger ({remaining} left)";
    }

    /// <summary>Shows every step as complete once the report is built.</summary>
    public void Done()
    {
        Finish(_phase);
        Finish(_crowd);
        Finish(_drain);
    }

    /// <summary>Marks a step the run has moved past as 100 %, so it does not stay at 0 %.</summary>
    private static void Finish(ProgressTask? task)
    {
        if (task is null || task.IsFinished)
        {
            return;
        }

        task.IsIndeterminate = false;
        task.Value = task.MaxValue;
        task.StopTask();
    }
}
