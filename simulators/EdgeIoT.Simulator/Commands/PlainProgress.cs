using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Commands;

/// <summary>
/// Progress as plain lines, for output that is not a terminal (CI logs, pipes): one line per
/// phase and one per tenth of the crowd, instead of redrawn bars.
/// </summary>
public sealed class PlainProgress(TextWriter output) : ISimulationProgress
{
    private int _visits;
    private int _visited;
    private int _admitted;
    private int _lastTenth;
    private long _lastDrainReport = -1;

    public void Phase(string description) => output.WriteLine($"{description} ...");

    public void CrowdStarted(int visits)
    {
        _visits = Math.Max(1, visits);
        output.WriteLine($"Visitors arriving: {visits} planned (guests, walk-ins, assistants, bad actors)");
    }

    public void Visited(bool admitted)
    {
        int visited = Interlocked.Increment(ref _visited);
        int admits = admitted ? Interlocked.Increment(ref _admitted) : Volatile.Read(ref _admitted);
        int tenth = visited * 10 / _visits;
        if (tenth > Volatile.Read(ref _lastTenth) && Interlocked.Exchange(ref _lastTenth, tenth) < tenth)
        {
            output.WriteLine($"  {visited} of {_visits} visitors at the gates, {admits} admitted");
        }
    }

    public void Draining(long remaining)
    {
        if (remaining != _lastDrainReport)
        {
            _lastDrainReport = remaining;
            output.WriteLine($"  {remaining} events still on their way to the ledger");
        }
    }
}
