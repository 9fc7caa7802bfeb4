using EdgeIoT.Hub.Reporting;

namespace EdgeIoT.Hub.Forecast;

/// <summary>
/// Measures the time a lane spends per guest from the gaps between consecutive decisions on
/// one device. Only gaps below <see cref="BusyGapCeiling"/> count, because a longer gap means the
/// lane stood idle, not that a guest took that long.
/// </summary>
public static class ServiceTimeEstimator
{
    public static readonly TimeSpan BusyGapCeiling = TimeSpan.FromSeconds(15);

    /// <summary>Fewest busy gaps before the measured median replaces the configured service time.</summary>
    public const int MinimumGaps = 30;

    /// <summary>Returns the median busy gap, or null with fewer than <see cref="MinimumGaps"/> gaps.</summary>
    /// <remarks>
    /// NOTE: on a lane that is never saturated the gaps also contain idle time below the
    /// ceiling, so the estimate errs high and the forecast returns more lanes, not fewer.
    /// </remarks>
    public static TimeSpan? Measure(IReadOnlyList<DecisionRow> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);

        long ceilingMs = (long)BusyGapCeiling.TotalMilliseconds;
        var gaps = new List<long>();
        foreach (IGrouping<string, DecisionRow> device in decisions.GroupBy(row => row.DeviceId, StringComparer.Ordinal))
        {
            long? previous = null;
            foreach (long timeMs in device.Select(row => row.DeviceTimeMs).Order())
            {
                if (previous is long before && timeMs - before is > 0 and var gap && gap < ceilingMs)
                {
                    gaps.Add(gap);
                }

                previous = timeMs;
            }
        }

        if (gaps.Count < MinimumGaps)
        {
            return null;
        }

        gaps.Sort();
        return TimeSpan.FromMilliseconds(gaps[gaps.Count / 2]);
    }
}
