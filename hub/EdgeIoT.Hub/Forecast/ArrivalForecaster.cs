namespace EdgeIoT.Hub.Forecast;

/// <summary>
/// Forecasts arrivals per 5-minute bin of the door window and the lanes each bin needs.
/// The arrival curve has the shape of the configured profile (even without one). Its total
/// starts as guest list × show-up rate and moves to the observed pace (arrived so far ÷ the
/// profile's share of the window so far) as the elapsed share grows to a quarter. Arrivals
/// still to come are spread over the rest of the window in proportion to the profile.
/// </summary>
public static class ArrivalForecaster
{
    public static readonly TimeSpan BinLength = TimeSpan.FromMinutes(5);

    /// <summary>Profile share of the window after which the observed pace fully replaces the prior total.</summary>
    public const double PaceTrustShare = 0.25;

    public static CapacityForecast Forecast(ForecastInput input)
    {
        ArgumentNullException.ThrowIfNull(input);

        long openMs = input.DoorsOpen.ToUnixTimeMilliseconds();
        long binMs = (long)BinLength.TotalMilliseconds;
        int binCount = (int)Math.Ceiling((input.DoorsClose - input.DoorsOpen) / BinLength);
        double[] shares = Shares(input.Profile, binCount);
        long nowMs = input.Now.ToUnixTimeMilliseconds();

        long[] observed = new long[binCount];
        long arrived = 0;
        foreach (long timeMs in input.ArrivalTimesMs.Where(time => time <= nowMs))
        {
            arrived++;
            int bin = (int)Math.Clamp((timeMs - openMs) / binMs, 0, binCount - 1);
            observed[bin]++;
        }

        double[] elapsed = new double[binCount];
        for (int i = 0; i < binCount; i++)
        {
            elapsed[i] = Math.Clamp((nowMs - (openMs + (i * binMs))) / (double)binMs, 0, 1);
        }

        double elapsedShare = shares.Zip(elapsed, (share, fraction) => share * fraction).Sum();
        double expectedTotal = EstimateTotal(input.ExpectedGuests * input.ShowUpRate, arrived, elapsedShare);
        double remaining = Math.Max(0, expectedTotal - arrived);
        double futureShare = shares.Zip(elapsed, (share, fraction) => share * (1 - fraction)).Sum();

        var bins = new List<ForecastBin>(binCount);
        for (int i = 0; i < binCount; i++)
        {
            double future = futureShare > 0 ? remaining * shares[i] * (1 - elapsed[i]) / futureShare : 0;
            double arrivals = observed[i] + future;
            int lanes = QueueModel.LanesNeeded(
                arrivals / BinLength.TotalSeconds, input.ServiceTime.TotalSeconds, input.TargetWait.TotalSeconds);
            bins.Add(new ForecastBin(openMs + (i * binMs), observed[i], Math.Round(arrivals, 1), lanes, elapsed[i] >= 1));
        }

        ForecastBin? peak = bins.Where(bin => !bin.Past).MaxBy(bin => bin.Arrivals);
        return new CapacityForecast(
            Model: "M/M/c",
            NowMs: nowMs,
            ExpectedTotal: Math.Round(expectedTotal, 1),
            ArrivedSoFar: arrived,
            ServiceTimeSeconds: input.ServiceTime.TotalSeconds,
            ServiceTimeSource: input.ServiceTimeSource,
            TargetWaitSeconds: input.TargetWait.TotalSeconds,
            PeakStartMs: peak?.StartMs,
            PeakArrivals: peak?.Arrivals ?? 0,
            LanesAtPeak: peak?.LanesNeeded ?? 0,
            Bins: bins);
    }

    private static double EstimateTotal(double prior, long arrived, double elapsedShare)
    {
        if (elapsedShare <= 0)
        {
            return Math.Max(prior, arrived);
        }

        double pace = arrived / elapsedShare;
        double trust = Math.Min(1, elapsedShare / PaceTrustShare);
        return Math.Max(arrived, ((1 - trust) * prior) + (trust * pace));
    }

    private static double[] Shares(IReadOnlyList<double> profile, int binCount)
    {
        double[] weights = new double[binCount];
        for (int i = 0; i < binCount; i++)
        {
            weights[i] = profile.Count == 0 ? 1 : (i < profile.Count ? profile[i] : 0);
        }

        double sum = weights.Sum();
        return sum > 0 ? weights.Select(weight => weight / sum).ToArray() : weights.Select(_ => 1.0 / binCount).ToArray();
    }
}
