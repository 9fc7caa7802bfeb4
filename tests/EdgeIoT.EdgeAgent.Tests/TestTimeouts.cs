namespace EdgeIoT.EdgeAgent.Tests;

internal static class TestTimeouts
{
    /// <summary>Upper bound for any awaited signal; generous because the build machine is shared.</summary>
    public static readonly TimeSpan Signal = TimeSpan.FromSeconds(15);

    public static CancellationTokenSource Create() => new(Signal);
}
