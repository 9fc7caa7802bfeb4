namespace EdgeIoT.Simulator.Crowd;

/// <summary>
/// Arrival times for a crowd: a steady base rate with one rush at <c>rushFactor</c> times
/// that rate. Times come from the inverse of the cumulative arrival curve with seeded
/// jitter, so a seed always gives the same schedule.
/// </summary>
public static class ArrivalCurve
{
    /// <returns>Offsets from the start of the window, sorted ascending.</returns>
    public static TimeSpan[] Schedule(
        int arrivals, TimeSpan window, double rushFactor, double rushStart, double rushLength, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(arrivals);
        ArgumentOutOfRangeException.ThrowIfLessThan(rushFactor, 1.0);
        ArgumentNullException.ThrowIfNull(random);
        if (rushStart < 0 || rushLength < 0 || rushStart + rushLength > 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(rushStart), $"The rush ({rushStart} + {rushLength}) must lie inside the window (0 to 1).");
        }

        // Weight of the whole window in base-rate units: the rush counts rushFactor times.
        double total = (1 - rushLength) + (rushLength * rushFactor);
        var times = new TimeSpan[arrivals];
        for (int i = 0; i < arrivals; i++)
        {
            double quantile = (i + random.NextDouble()) / Math.Max(1, arrivals);
            times[i] = window * ToWindowFraction(quantile * total, rushFactor, rushStart, rushLength);
        }

        Array.Sort(times);
        return times;
    }

    private static double ToWindowFraction(double weight, double rushFactor, double rushStart, double rushLength)
    {
        if (weight <= rushStart)
        {
            return weight;
        }

        double rushWeight = rushLength * rushFactor;
        if (weight <= rushStart + rushWeight)
        {
            return rushStart + ((weight - rushStart) / rushFactor);
        }

        return Math.Min(1.0, weight - rushWeight + rushLength);
    }
}
