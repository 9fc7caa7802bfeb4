namespace EdgeIoT.Hub.Forecast;

/// <summary>A device (or "hub") that may not be ready for the peak, and why.</summary>
public sealed record ReadinessWarning(string DeviceId, string Problem);
