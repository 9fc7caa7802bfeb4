namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Runs the hub on its data folder, in the simulator's process or as a child process.
/// <see cref="HubNode"/> puts the fault proxy and the client in front of it.
/// </summary>
public interface IHubHost : IAsyncDisposable
{
    /// <summary>Process id of the running hub; null when the hub runs in the simulator's process.</summary>
    int? ProcessId { get; }

    /// <summary>Starts the hub and returns once it has written its endpoints file.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops the hub with no graceful shutdown work; returns a detail for the report, or null.</summary>
    Task<string?> PowerLossAsync();
}
