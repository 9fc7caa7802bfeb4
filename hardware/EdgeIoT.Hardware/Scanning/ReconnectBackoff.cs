namespace EdgeIoT.Hardware;

/// <summary>
/// Delays between reconnect attempts: <see cref="Initial"/>, doubled after each failure up to
/// <see cref="Maximum"/>.
/// </summary>
public sealed record ReconnectBackoff
{
    public TimeSpan Initial { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan Maximum { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Returns the delay before attempt <paramref name="failures"/> + 1.</summary>
    public TimeSpan DelayAfter(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(failures);

        var factor = Math.Pow(2, Math.Min(failures, 30));
        var ticks = Math.Min(Initial.Ticks * factor, Maximum.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
