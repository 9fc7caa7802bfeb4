namespace EdgeIoT.Hub.Forecast;

/// <summary>
/// M/M/c queue: Poisson arrivals at rate λ, exponential service at rate μ per lane, c lanes
/// sharing one queue. The mean wait in the queue is Wq = C(c, a) / (cμ − λ), where a = λ/μ and
/// C is the Erlang C probability that an arriving guest has to wait.
/// </summary>
public static class QueueModel
{
    /// <summary>Maximum lanes the model returns; a result of this value means "this many or more".</summary>
    public const int MaxLanes = 200;

    /// <summary>Returns the Erlang C probability of waiting for <paramref name="lanes"/> servers and offered load <paramref name="load"/> (λ/μ).</summary>
    public static double ErlangC(int lanes, double load)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(load);

        if (load >= lanes)
        {
            return 1.0;
        }

        // Erlang B by its stable recurrence B(k) = a B(k-1) / (k + a B(k-1)), then C from B.
        double erlangB = 1.0;
        for (int k = 1; k <= lanes; k++)
        {
            erlangB = load * erlangB / (k + (load * erlangB));
        }

        double utilisation = load / lanes;
        return erlangB / (1 - (utilisation * (1 - erlangB)));
    }

    /// <summary>Returns the mean wait in the queue in seconds, or infinity when the lanes cannot keep up.</summary>
    public static double MeanWaitSeconds(int lanes, double arrivalsPerSecond, double serviceSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(serviceSeconds);

        double serviceRate = 1 / serviceSeconds;
        double load = arrivalsPerSecond / serviceRate;
        if (load >= lanes)
        {
            return double.PositiveInfinity;
        }

        return ErlangC(lanes, load) / ((lanes * serviceRate) - arrivalsPerSecond);
    }

    /// <summary>Returns the fewest lanes (at least 1) whose mean wait stays within <paramref name="targetWaitSeconds"/>.</summary>
    public static int LanesNeeded(double arrivalsPerSecond, double serviceSeconds, double targetWaitSeconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(arrivalsPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetWaitSeconds);

        for (int lanes = 1; lanes < MaxLanes; lanes++)
        {
            if (MeanWaitSeconds(lanes, arrivalsPerSecond, serviceSeconds) <= targetWaitSeconds)
            {
                return lanes;
            }
        }

        return MaxLanes;
    }
}
