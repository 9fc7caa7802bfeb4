using EdgeIoT.Hardware;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>The agent's gate driver with a count of the admits it annulled, for the report.</summary>
public sealed class ObservedGate(GpioGate gate) : IGate
{
    private int _annulled;

    public int Annulled => Volatile.Read(ref _annulled);

    public int Tailgates => gate.UnexpectedPassageCount;

    public GateState State => gate.State;

    public void Open() => gate.Open();

    public async Task<PassageOutcome> WaitForPassageAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        PassageOutcome outcome = await gate.WaitForPassageAsync(timeout, cancellationToken);
        if (outcome == PassageOutcome.Annulled)
        {
            Interlocked.Increment(ref _annulled);
        }

        return outcome;
    }

    // The lane owns the driver and disposes it once, after its last host stopped.
    public void Dispose()
    {
    }
}
