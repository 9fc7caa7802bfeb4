namespace EdgeIoT.Hub.Forecast;

/// <summary>
/// The forecast and the readiness of the devices for its peak. <see cref="ReadinessDue"/> is true
/// from Hub:Forecast:ReadinessLead before the peak on; the dashboard raises alarms only then.
/// </summary>
public sealed record ForecastReport(CapacityForecast Forecast, bool ReadinessDue, IReadOnlyList<ReadinessWarning> Warnings);
