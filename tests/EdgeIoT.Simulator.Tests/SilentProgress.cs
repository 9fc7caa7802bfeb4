using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Tests;

/// <summary>Progress that goes nowhere; tests read the report instead.</summary>
public sealed class SilentProgress : ISimulationProgress
{
    public void Phase(string description)
    {
    }

    public void CrowdStarted(int visits)
    {
    }

    public void Visited(bool admitted)
    {
    }

    public void Draining(long remaining)
    {
    }
}
