namespace EdgeIoT.Hub.Forecast;

/// <summary>
/// Forecast arrivals per bin and lanes needed. Times are Unix milliseconds; <see cref="PeakStartMs"/>
/// is the busiest bin not yet over, null when the window has passed.
/// </summary>
public sealed record CapacityForecast(
    string Model,
    long NowMs,
    double ExpectedTotal,
    long ArrivedSoFar,
    double ServiceTimeSeconds,
    string ServiceTimeSource,
    double TargetWaitSeconds,
    long? PeakStartMs,
    double PeakArrivals,
    int LanesAtPeak,
    IReadOnlyList<ForecastBin> Bins);

/// <summary>
/// One 5-minute bin: arrivals observed so far, forecast arrivals (observed plus still expected)
/// and the lanes that keep the mean wait within target; <see cref="Past"/> when the bin is over.
/// </summary>
public sealed record ForecastBin(long StartMs, long Observed, double Arrivals, int LanesNeeded, bool Past);
