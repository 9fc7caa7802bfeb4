namespace EdgeIoT.Hub.Forecast;

/// <summary>Settings of the capacity forecast, section <c>Hub:Forecast</c>; without door times there is no forecast.</summary>
public sealed class ForecastOptions
{
    /// <summary>Start of the arrival window (doors open).</summary>
    public DateTimeOffset? DoorsOpen { get; set; }

    /// <summary>End of the arrival window; guests expected after it are not forecast.</summary>
    public DateTimeOffset? DoorsClose { get; set; }

    /// <summary>Longest mean wait in the lane queue the lane count must keep.</summary>
    public TimeSpan TargetWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Time one lane needs per guest until enough decisions were measured.</summary>
    public TimeSpan ServiceTime { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Expected share of the guest list that comes, used until arrivals show the real pace.</summary>
    public double ShowUpRate { get; set; } = 1.0;

    /// <summary>
    /// Relative arrival weight of each 5-minute bin from <see cref="DoorsOpen"/>, such as last
    /// event's curve; empty spreads arrivals evenly. Bins past the list's end get weight 0.
    /// </summary>
    public IList<double> Profile { get; } = [];

    /// <summary>How long before the forecast peak the hub checks that every device has the current key list and snapshot.</summary>
    public TimeSpan ReadinessLead { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Names the first invalid value, with its key below <c>Hub:Forecast</c>.</summary>
    public string? FindProblem()
    {
        if (DoorsOpen is { } open && DoorsClose is { } close && close <= open)
        {
            return $"Hub:Forecast:DoorsClose {close:O} must be after Hub:Forecast:DoorsOpen {open:O}.";
        }

        if (TargetWait <= TimeSpan.Zero)
        {
            return $"Hub:Forecast:TargetWait {TargetWait} must be positive.";
        }

        if (ServiceTime <= TimeSpan.Zero)
        {
            return $"Hub:Forecast:ServiceTime {ServiceTime} must be positive.";
        }

        if (ShowUpRate is <= 0 or > 1)
        {
            return $"Hub:Forecast:ShowUpRate {ShowUpRate} is invalid: use a share above 0 and at most 1.";
        }

        int negative = Profile.ToList().FindIndex(weight => weight < 0 || !double.IsFinite(weight));
        return negative >= 0
            ? $"Hub:Forecast:Profile:{negative} {Profile[negative]} is invalid: weights are finite and not negative."
            : null;
    }
}
