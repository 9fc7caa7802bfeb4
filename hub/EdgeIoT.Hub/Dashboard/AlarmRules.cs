using EdgeIoT.Hub.Forecast;

namespace EdgeIoT.Hub.Dashboard;

/// <summary>Combines device-raised alarms with the ones the hub derives from telemetry and the forecast.</summary>
public static class AlarmRules
{
    public static IReadOnlyList<Alarm> Collect(
        IReadOnlyList<Alarm> deviceAlarms,
        IReadOnlyList<DevicePanelRow> devices,
        ForecastReport? forecast,
        DashboardOptions options,
        long nowMs)
    {
        ArgumentNullException.ThrowIfNull(deviceAlarms);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(options);

        var alarms = new List<Alarm>(deviceAlarms);
        foreach (DevicePanelRow device in devices)
        {
            if (device.OutboxDepth is int depth && depth >= options.QueueNearFullDepth)
            {
                alarms.Add(new Alarm(
                    AlarmKinds.QueueNearFull, device.DeviceId,
                    $"outbox holds {depth} events, alarm threshold {options.QueueNearFullDepth}", nowMs));
            }

            if (device.ClockOffsetMs is long offset && Math.Abs(offset) > options.ClockDriftMs)
            {
                alarms.Add(new Alarm(
                    AlarmKinds.ClockDrift, device.DeviceId,
                    $"clock is {offset} ms off the hub, alarm threshold {options.ClockDriftMs} ms", nowMs));
            }
        }

        if (forecast is { ReadinessDue: true })
        {
            alarms.AddRange(forecast.Warnings.Select(warning =>
                new Alarm(AlarmKinds.ProvisioningAtRisk, warning.DeviceId, warning.Problem, nowMs)));
        }

        return alarms;
    }
}
