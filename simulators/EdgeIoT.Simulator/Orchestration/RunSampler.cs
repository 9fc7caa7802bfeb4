using System.Diagnostics;
using EdgeIoT.Simulator.Reporting;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Samples once a second what the report charts: the hub's reconciliation queue per lane and
/// every device's outbox. <see cref="HubLinkTracker"/> records offline periods. Each series
/// has exactly one sample per second from its first one on: a second the timer skipped (a
/// slow hub status request, a hub power cut) repeats the previous reading, and a second read
/// twice keeps the later reading.
/// </summary>
public sealed class RunSampler(HubNode hub, IReadOnlyList<IGateLane> lanes, ILogger logger)
{
    private readonly List<QueueSample> _hubQueues = [];
    private readonly List<DeviceQueueSample> _deviceQueues = [];
    private long _peakDeviceOutbox;

    public IReadOnlyList<QueueSample> HubQueues => _hubQueues;

    public IReadOnlyList<DeviceQueueSample> DeviceQueues => _deviceQueues;

    public long PeakDeviceOutbox => _peakDeviceOutbox;

    public async Task RunAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                await SampleAsync(clock.Elapsed, cancellationToken);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SampleAsync(TimeSpan now, CancellationToken cancellationToken)
    {
        int second = (int)Math.Round(now.TotalSeconds);
        var outboxes = lanes.ToDictionary(l => l.DeviceId, l => l.OutboxDepth);
        Place(_deviceQueues, new DeviceQueueSample(second, outboxes), s => s.Second, (s, at) => s with { Second = at });
        _peakDeviceOutbox = Math.Max(_peakDeviceOutbox, outboxes.Values.DefaultIfEmpty(0).Max());

        if (hub.IsPoweredOff)
        {
            return;
        }

        try
        {
            LaneDepths depths = (await hub.Client.StatusAsync(cancellationToken)).Lanes;
            Place(
                _hubQueues,
                new QueueSample(second, depths.Payments, depths.Entitlements, depths.CheckIns, depths.Telemetry),
                s => s.Second,
                (s, at) => s with { Second = at });
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Net.Sockets.SocketException or TaskCanceledException
            && !cancellationToken.IsCancellationRequested)
        {
            // The hub may be going down for a power cut between the check and the request.
            logger.LogDebug("Hub queue sample at {Second} s failed: {Error}", second, ex.Message);
        }
    }

    /// <summary>Appends <paramref name="sample"/> so the series keeps one sample per second.</summary>
    public static void Place<T>(List<T> series, T sample, Func<T, int> secondOf, Func<T, int, T> at)
    {
        int second = secondOf(sample);
        if (series.Count > 0 && secondOf(series[^1]) >= second)
        {
            series[^1] = at(sample, secondOf(series[^1]));
            return;
        }

        if (series.Count > 0)
        {
            T previous = series[^1];
            for (int missing = secondOf(previous) + 1; missing < second; missing++)
            {
                series.Add(at(previous, missing));
            }
        }

        series.Add(sample);
    }
}
