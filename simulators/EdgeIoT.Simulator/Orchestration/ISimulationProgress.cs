namespace EdgeIoT.Simulator.Orchestration;

/// <summary>Where a running simulation reports its phase and the crowd's progress.</summary>
public interface ISimulationProgress
{
    void Phase(string description);

    void CrowdStarted(int visits);

    void Visited(bool admitted);

    void Draining(long remaining);
}
