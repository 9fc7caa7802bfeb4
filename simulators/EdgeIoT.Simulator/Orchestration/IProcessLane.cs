namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// A lane whose device runs as its own OS process, so a power cut is a SIGKILL and the fault
/// report names the killed and the restarted process.
/// </summary>
public interface IProcessLane : IGateLane
{
    /// <summary>Process id of the running device, or null while its power is cut.</summary>
    int? ProcessId { get; }
}
