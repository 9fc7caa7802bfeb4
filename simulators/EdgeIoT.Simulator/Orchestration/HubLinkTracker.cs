using System.Diagnostics;
using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Records each lane's offline periods from its connection events, timestamped on the run's
/// clock when the device raises them. A periodic poll would lag behind under load, because the
/// sampler also waits for the hub's status request.
/// </summary>
public sealed class HubLinkTracker : IDisposable
{
    private readonly IReadOnlyList<IGateLane> _lanes;
    private readonly Func<TimeSpan> _now;
    private readonly Lock _sync = new();
    private readonly Dictionary<string, double> _offlineSince = [];
    private readonly List<OfflinePeriod> _offline = [];

    public HubLinkTracker(IReadOnlyList<IGateLane> lanes, Stopwatch clock)
        : this(lanes, () => clock.Elapsed)
    {
    }

    public HubLinkTracker(IReadOnlyList<IGateLane> lanes, Func<TimeSpan> now)
    {
        ArgumentNullException.ThrowIfNull(lanes);
        ArgumentNullException.ThrowIfNull(now);

        _lanes = lanes;
        _now = now;
        foreach (IGateLane lane in lanes)
        {
            lane.HubConnectionChanged += OnHubConnectionChanged;
        }

        // Read after subscribing, so a change in between is not lost.
        foreach (IGateLane lane in lanes.Where(l => !l.IsConnected))
        {
            Observe(lane.DeviceId, connected: false, _now());
        }
    }

    /// <summary>Records that <paramref name="deviceId"/> connected or disconnected at <paramref name="at"/>.</summary>
    public void Observe(string deviceId, bool connected, TimeSpan at)
    {
        ArgumentNullException.ThrowIfNull(deviceId);

        lock (_sync)
        {
            if (!connected)
            {
                _offlineSince.TryAdd(deviceId, at.TotalSeconds);
                return;
            }

            if (_offlineSince.Remove(deviceId, out double since))
            {
                _offline.Add(new OfflinePeriod(deviceId, since, Math.Max(since, at.TotalSeconds)));
            }
        }
    }

    /// <summary>Returns every offline period, closing the ones still open at <paramref name="end"/>.</summary>
    public IReadOnlyList<OfflinePeriod> OfflinePeriods(TimeSpan end)
    {
        lock (_sync)
        {
            var periods = new List<OfflinePeriod>(_offline);
            periods.AddRange(_offlineSince.Select(open => new OfflinePeriod(open.Key, open.Value, end.TotalSeconds)));
            return [.. periods.OrderBy(p => p.StartSecond).ThenBy(p => p.DeviceId, StringComparer.Ordinal)];
        }
    }

    public void Dispose()
    {
        foreach (IGateLane lane in _lanes)
        {
            lane.HubConnectionChanged -= OnHubConnectionChanged;
        }
    }

    private void OnHubConnectionChanged(object? sender, bool connected)
    {
        if (sender is IGateLane lane)
        {
            Observe(lane.DeviceId, connected, _now());
        }
    }
}
