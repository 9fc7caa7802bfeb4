namespace EdgeIoT.Simulator.Orchestration;

/// <summary>How <see cref="DeviceProcess"/> starts, watches and stops one device program.</summary>
public sealed record DeviceProcessOptions
{
    /// <summary>
    /// True for a program started with <c>--supervised</c>, which stops when its standard input
    /// closes. Any other program is stopped with SIGTERM, and an <see cref="OrphanWatchdog"/>
    /// kills it if the simulator dies first.
    /// </summary>
    public bool Supervised { get; init; } = true;

    /// <summary>Environment variables added to the simulator's own for the program.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Called with each line the program writes to standard output or standard error.</summary>
    public Action<string>? OnOutputLine { get; init; }
}
