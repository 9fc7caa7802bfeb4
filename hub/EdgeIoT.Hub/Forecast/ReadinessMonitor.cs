using EdgeIoT.Hub.Options;

namespace EdgeIoT.Hub.Forecast;

/// <summary>
/// Rebuilds the forecast every <see cref="Interval"/> while door times are set, so readiness
/// warnings before the peak are logged even when nobody has the dashboard open.
/// </summary>
public sealed partial class ReadinessMonitor(
    HubOptions options, ForecastService forecast, TimeProvider time, ILogger<ReadinessMonitor> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Forecast.DoorsOpen is null || options.Forecast.DoorsClose is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                CheckOnce();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    private void CheckOnce()
    {
        try
        {
            forecast.Current();
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            // A busy or failing database must not stop the monitor; the next tick tries again.
            LogCheckFailed(exception);
        }
    }

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Forecast readiness check failed; retrying in 30 s")]
    private partial void LogCheckFailed(Exception exception);
}
