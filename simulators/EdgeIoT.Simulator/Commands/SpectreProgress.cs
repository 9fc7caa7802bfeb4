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
        _phase?.StopTask();
        _phase = context.AddTask(description, maxValue: 1);
        _phase.IsIndeterminate = true;
    }

    public void CrowdStarted(int visits)
    {
        _phase?.Increment(1);
        _phase?.StopTask();
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

    public void Done()
    {
        _phase?.Increment(1);
        _phase?.StopTask();
        if (_drain != null)
        {
            _drain.Value = _drain.MaxValue;
        }
    }
}
