namespace EdgeIoT.Hardware.Tests;

internal static class TestTimeouts
{
    /// <summary>Upper bound for any awaited signal; generous because the build machine is shared.</summary>
    public static readonly TimeSpan Signal = TimeSpan.FromSeconds(10);

    public static CancellationTokenSource Create() => new(Signal);
}
