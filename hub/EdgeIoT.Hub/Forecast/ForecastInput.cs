namespace EdgeIoT.Hub.Forecast;

/// <summary>Inputs of the forecast: the door window, the guest list and the first admit time of each guest so far.</summary>
public sealed record ForecastInput
{
    public required DateTimeOffset DoorsOpen { get; init; }

    public required DateTimeOffset DoorsClose { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>Guests on the guest list who may still come (not cancelled).</summary>
    public required long ExpectedGuests { get; init; }

    public double ShowUpRate { get; init; } = 1.0;

    /// <summary>Relative weight per 5-minute bin from the doors opening; empty for an even spread.</summary>
    public IReadOnlyList<double> Profile { get; init; } = [];

    /// <summary>First admit of each guest-list entitlement, Unix milliseconds.</summary>
    public required IReadOnlyList<long> ArrivalTimesMs { get; init; }

    public required TimeSpan ServiceTime { get; init; }

    /// <summary>"measured" or "configured".</summary>
    public string ServiceTimeSource { get; init; } = "configured";

    public required TimeSpan TargetWait { get; init; }
}
