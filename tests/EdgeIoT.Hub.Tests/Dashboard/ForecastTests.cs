using EdgeIoT.Hub.Forecast;

namespace EdgeIoT.Hub.Tests.Dashboard;

public sealed class ForecastTests
{
    private static readonly DateTimeOffset DoorsOpen = new(2026, 6, 13, 17, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan ServiceTime = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan TargetWait = TimeSpan.FromSeconds(60);

    // Twelve 5-minute bins: a steady base rate with a rush at 4x from minute 25 to 40, the shape
    // of the simulator's arrival curve.
    private static readonly double[] RushProfile = [1, 1, 1, 1, 1, 4, 4, 4, 1, 1, 1, 1];

    [Fact]
    public void Forecast_BeforeDoorsOpen_UsesPrior()
    {
        CapacityForecast forecast = ArrivalForecaster.Forecast(Input(DoorsOpen - TimeSpan.FromMinutes(10), [], 0.9));

        Assert.Equal(1800, forecast.ExpectedTotal, precision: 1);
        Assert.Equal(0, forecast.ArrivedSoFar);
        Assert.Equal(DoorsOpen.AddMinutes(25).ToUnixTimeMilliseconds(), forecast.PeakStartMs);
        Assert.Equal(1800 * 4.0 / 21, forecast.PeakArrivals, precision: 1);
    }

    [Fact]
    public void Forecast_LowerTurnout_MatchesTrueCurve()
    {
        // The truth: 1,500 of 2,000 guests come, spread along the profile. The forecast assumes
        // everybody comes until the pace of the first 25 minutes shows otherwise.
        long[] truth = TrueArrivalsPerBin(1500);
        IReadOnlyList<long> arrivals = ArrivalTimes(truth);
        DateTimeOffset now = DoorsOpen.AddMinutes(25);

        CapacityForecast forecast = ArrivalForecaster.Forecast(Input(now, ArrivalsBefore(arrivals, now), 1.0));

        Assert.InRange(forecast.ExpectedTotal, 1500 * 0.97, 1500 * 1.03);
        for (int bin = 5; bin < truth.Length; bin++)
        {
            Assert.InRange(forecast.Bins[bin].Arrivals, truth[bin] * 0.95, truth[bin] * 1.05);
        }

        int truePeak = Array.IndexOf(truth, truth.Max());
        Assert.Equal(forecast.Bins[truePeak].StartMs, forecast.PeakStartMs);
        int trueLanes = QueueModel.LanesNeeded(truth[truePeak] / 300.0, ServiceTime.TotalSeconds, TargetWait.TotalSeconds);
        Assert.Equal(trueLanes, forecast.LanesAtPeak);
    }

    [Fact]
    public void Forecast_PoissonArrivals_PeakLanesWithinOne()
    {
        // Poisson arrivals whose rate follows the profile, 2,400 expected of 3,000 guests.
        var random = new Random(20261204);
        double[] shares = RushProfile.Select(weight => weight / RushProfile.Sum()).ToArray();
        var arrivals = new List<long>();
        for (int bin = 0; bin < shares.Length; bin++)
        {
            double ratePerMs = 2400 * shares[bin] / 300_000;
            long binStart = DoorsOpen.AddMinutes(5 * bin).ToUnixTimeMilliseconds();
            for (double t = -Math.Log(1 - random.NextDouble()) / ratePerMs; t < 300_000; t += -Math.Log(1 - random.NextDouble()) / ratePerMs)
            {
                arrivals.Add(binStart + (long)t);
            }
        }

        DateTimeOffset now = DoorsOpen.AddMinutes(30);
        CapacityForecast forecast = ArrivalForecaster.Forecast(Input(now, ArrivalsBefore(arrivals, now), 1.0, guests: 3000));

        double truePeakRate = 2400 * shares[5] / 300;
        int trueLanes = QueueModel.LanesNeeded(truePeakRate, ServiceTime.TotalSeconds, TargetWait.TotalSeconds);
        Assert.InRange(forecast.ExpectedTotal, 2400 * 0.9, 2400 * 1.1);
        Assert.InRange(forecast.LanesAtPeak, trueLanes - 1, trueLanes + 1);
        Assert.Equal(DoorsOpen.AddMinutes(30).ToUnixTimeMilliseconds(), forecast.PeakStartMs);
    }

    [Fact]
    public void Forecast_PastBins_ShowObservedArrivalsOnly()
    {
        long[] truth = TrueArrivalsPerBin(1200);
        IReadOnlyList<long> arrivals = ArrivalTimes(truth);
        DateTimeOffset now = DoorsOpen.AddMinutes(40);

        CapacityForecast forecast = ArrivalForecaster.Forecast(Input(now, ArrivalsBefore(arrivals, now), 1.0));

        for (int bin = 0; bin < 8; bin++)
        {
            Assert.True(forecast.Bins[bin].Past);
            Assert.Equal(truth[bin], forecast.Bins[bin].Observed);
            Assert.Equal(truth[bin], forecast.Bins[bin].Arrivals);
        }

        Assert.Equal(truth.Take(8).Sum(), forecast.ArrivedSoFar);
    }

    [Fact]
    public void QueueModel_KnownValues_MatchErlangFormulas()
    {
        // Two lanes at offered load 1 erlang: C = (a^2/2!)(c/(c-a)) / (1 + a + (a^2/2!)(c/(c-a))) = 1/3.
        Assert.Equal(1.0 / 3, QueueModel.ErlangC(2, 1.0), precision: 9);

        // M/M/1: Wq = rho / (mu - lambda); lambda 0.2/s, mu 0.25/s gives 0.8 / 0.05 = 16 s.
        Assert.Equal(16, QueueModel.MeanWaitSeconds(1, 0.2, 4), precision: 9);
        Assert.Equal(double.PositiveInfinity, QueueModel.MeanWaitSeconds(1, 0.25, 4));
        Assert.Equal(2, QueueModel.LanesNeeded(0.2, 4, 10));
        Assert.Equal(1, QueueModel.LanesNeeded(0, 4, 10));
    }

    [Fact]
    public void ServiceTimeEstimator_BusyLane_ReturnsMedianGap()
    {
        var decisions = Enumerable.Range(0, 40)
            .Select(i => new EdgeIoT.Hub.Reporting.DecisionRow("lane-1", "agent", 1_000_000 + (i * 3_000L), "admit", "online", 2, i))
            .Append(new EdgeIoT.Hub.Reporting.DecisionRow("lane-1", "agent", 5_000_000, "admit", "online", 2, 99))
            .ToList();

        TimeSpan? measured = ServiceTimeEstimator.Measure(decisions);

        Assert.Equal(TimeSpan.FromSeconds(3), measured);
        Assert.Null(ServiceTimeEstimator.Measure(decisions.Take(10).ToList()));
    }

    [Fact]
    public void SettledVersions_NewSnapshot_SettlesAfterGrace()
    {
        var versions = new SettledVersions();

        (uint Snapshot, uint KeyList) first = versions.Observe(5, 1, DoorsOpen);
        (uint Snapshot, uint KeyList) fresh = versions.Observe(6, 1, DoorsOpen.AddSeconds(1));
        (uint Snapshot, uint KeyList) later = versions.Observe(7, 2, DoorsOpen.AddSeconds(20));
        (uint Snapshot, uint KeyList) latest = versions.Observe(7, 2, DoorsOpen.AddSeconds(40));

        Assert.Equal((5u, 1u), first);
        Assert.Equal((5u, 1u), fresh);
        Assert.Equal((6u, 1u), later);
        Assert.Equal((7u, 2u), latest);
    }

    private static ForecastInput Input(DateTimeOffset now, IReadOnlyList<long> arrivals, double showUpRate, long guests = 2000) => new()
    {
        DoorsOpen = DoorsOpen,
        DoorsClose = DoorsOpen.AddHours(1),
        Now = now,
        ExpectedGuests = guests,
        ShowUpRate = showUpRate,
        Profile = RushProfile,
        ArrivalTimesMs = arrivals,
        ServiceTime = ServiceTime,
        TargetWait = TargetWait,
    };

    private static long[] TrueArrivalsPerBin(int total)
    {
        double weights = RushProfile.Sum();
        return RushProfile.Select(weight => (long)Math.Round(total * weight / weights)).ToArray();
    }

    private static List<long> ArrivalTimes(long[] perBin)
    {
        var times = new List<long>();
        for (int bin = 0; bin < perBin.Length; bin++)
        {
            long start = DoorsOpen.AddMinutes(5 * bin).ToUnixTimeMilliseconds();
            for (long i = 0; i < perBin[bin]; i++)
            {
                times.Add(start + (300_000 * i / perBin[bin]));
            }
        }

        return times;
    }

    private static List<long> ArrivalsBefore(IEnumerable<long> arrivals, DateTimeOffset now) =>
        arrivals.Where(time => time < now.ToUnixTimeMilliseconds()).ToList();
}
