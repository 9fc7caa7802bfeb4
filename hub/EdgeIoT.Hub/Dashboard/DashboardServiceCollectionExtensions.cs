using EdgeIoT.Hub.Forecast;
using EdgeIoT.Hub.Metrics;
using EdgeIoT.Hub.Reporting;
using OpenTelemetry.Metrics;

namespace EdgeIoT.Hub.Dashboard;

/// <summary>Registers metrics, the live activity, the forecast and the dashboard.</summary>
public static class DashboardServiceCollectionExtensions
{
    public static IServiceCollection AddHubDashboard(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<DeviceReports>();
        services.AddSingleton<HubMetrics>();
        services.AddSingleton<HubActivity>();
        services.AddSingleton<EventQueries>();
        services.AddSingleton<SettledVersions>();
        services.AddSingleton<ForecastService>();
        services.AddHostedService<ReadinessMonitor>();
        services.AddSingleton<DashboardService>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(HubMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }
}
