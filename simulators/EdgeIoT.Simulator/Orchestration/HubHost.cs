namespace EdgeIoT.Simulator.Orchestration;

/// <summary>Where the simulator runs the venue hub (scenario field venue.hub.host).</summary>
public enum HubHost
{
    /// <summary>
    /// In the simulator's own process, on the venue clock, so clock faults and key rotation
    /// placement can move the hub's time. A power loss stops the hosted app.
    /// </summary>
    Simulator,

    /// <summary>
    /// As its own OS process running the hub's <c>run</c> command on the system clock. A power
    /// loss is a SIGKILL and a restart on the same data folder.
    /// </summary>
    Process,
}
