namespace EdgeIoT.Protocol.Messaging;

/// <summary>
/// Delays of an MQTT client's reconnect loop. Before the first attempt, and again after a lost
/// connection, the client waits a random time below <see cref="MinDelay"/>. After the n-th
/// failed attempt it waits a random time between <see cref="MinDelay"/> and
/// min(<see cref="MaxDelay"/>, <see cref="MinDelay"/> × 2^n), which is exponential back-off with
/// full jitter. The randomness keeps the devices of a venue from reconnecting in step after a
/// switch or power cycle drops all of them at once.
/// </summary>
public sealed record ReconnectSchedule
{
    public TimeSpan MinDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Returns the random wait before the first attempt of a connection cycle.</summary>
    public TimeSpan FirstDelay(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);

        return Between(TimeSpan.Zero, MinDelay, random);
    }

    /// <summary>Returns the random wait after <paramref name="failures"/> failed attempts (1 or more).</summary>
    public TimeSpan DelayAfter(int failures, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        ArgumentNullException.ThrowIfNull(random);

        double ceilingMs = Math.Min(
            MaxDelay.TotalMilliseconds, MinDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 16)));
        return Between(MinDelay, TimeSpan.FromMilliseconds(ceilingMs), random);
    }

    /// <summary>Throws when the bounds are negative or <see cref="MaxDelay"/> is below <see cref="MinDelay"/>.</summary>
    public void Validate()
    {
        if (MinDelay < TimeSpan.Zero || MaxDelay < MinDelay)
        {
            throw new ArgumentException(
                $"Reconnect delays are invalid: minimum {MinDelay.TotalMilliseconds} ms, maximum "
                + $"{MaxDelay.TotalMilliseconds} ms. Use a minimum of 0 or more and a maximum at least as large.");
        }
    }

    private static TimeSpan Between(TimeSpan low, TimeSpan high, Random random)
    {
        if (high <= low)
        {
            return low;
        }

        // Jitter only spreads reconnects; it needs no cryptographic randomness.
#pragma warning disable CA5394
        double fraction = random.NextDouble();
#pragma warning restore CA5394
        return low + ((high - low) * fraction);
    }
}
