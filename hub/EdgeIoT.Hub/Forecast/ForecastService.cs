using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Metrics;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Reporting;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Forecast;

/// <summary>
/// Builds the capacity forecast from the hub's data and checks device readiness before the peak.
/// A forecast is reused for <see cref="CacheLength"/>, because it reads every decision.
/// </summary>
public sealed partial class ForecastService(
    HubOptions options,
    EventQueries queries,
    SnapshotCache snapshot,
    KeyRing keys,
    DeviceStore devices,
    DeviceReports reports,
    SettledVersions settledVersions,
    TimeProvider time,
    ILogger<ForecastService> logger)
{
    public static readonly TimeSpan CacheLength = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly HashSet<string> _warned = new(StringComparer.Ordinal);
    private ForecastReport? _cached;
    private DateTimeOffset _cachedAt;

    /// <summary>Returns the current forecast, or null when Hub:Forecast:DoorsOpen or DoorsClose is not set.</summary>
    public ForecastReport? Current()
    {
        if (options.Forecast.DoorsOpen is not { } open || options.Forecast.DoorsClose is not { } close)
        {
            return null;
        }

        DateTimeOffset now = time.GetUtcNow();
        lock (_gate)
        {
            if (_cached is not null && now - _cachedAt < CacheLength)
            {
                return _cached;
            }

            _cached = Build(open, close, now);
            _cachedAt = now;
            return _cached;
        }
    }

    private ForecastReport Build(DateTimeOffset open, DateTimeOffset close, DateTimeOffset now)
    {
        TimeSpan? measured = ServiceTimeEstimator.Measure(queries.ReadDecisions());
        CapacityForecast forecast = ArrivalForecaster.Forecast(new ForecastInput
        {
            DoorsOpen = open,
            DoorsClose = close,
            Now = now,
            ExpectedGuests = queries.CountExpectedGuests(),
            ShowUpRate = options.Forecast.ShowUpRate,
            Profile = [.. options.Forecast.Profile],
            ArrivalTimesMs = queries.ReadFirstAdmitTimesMs(guestListOnly: true),
            ServiceTime = measured ?? options.Forecast.ServiceTime,
            ServiceTimeSource = measured is null ? "configured" : "measured",
            TargetWait = options.Forecast.TargetWait,
        });

        IReadOnlyList<ReadinessWarning> warnings = [];
        bool checkDue = false;
        if (forecast.PeakStartMs is long peakMs)
        {
            DateTimeOffset peak = DateTimeOffset.FromUnixTimeMilliseconds(peakMs);
            KeyRotationStatus? rotation = KeyRotationStatus.Read(keys, now);
            (uint Snapshot, uint KeyList) settled = settledVersions.Observe(snapshot.Version, rotation?.KeyListVersion ?? 0, now);
            warnings = ReadinessCheck.Check(peak, rotation, settled, devices.ReadAll(), reports);
            checkDue = now >= peak - options.Forecast.ReadinessLead;
            if (checkDue)
            {
                LogNewWarnings(peak, warnings);
            }
        }

        return new ForecastReport(forecast, checkDue, warnings);
    }

    private void LogNewWarnings(DateTimeOffset peak, IReadOnlyList<ReadinessWarning> warnings)
    {
        foreach (ReadinessWarning warning in warnings.Where(warning => _warned.Add(warning.DeviceId + "|" + warning.Problem)))
        {
            LogNotReady(warning.DeviceId, peak, warning.Problem);
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning,
        Message = "Device {DeviceId} may not be ready for the forecast peak at {Peak}: {Problem}")]
    private partial void LogNotReady(string deviceId, DateTimeOffset peak, string problem);
}
