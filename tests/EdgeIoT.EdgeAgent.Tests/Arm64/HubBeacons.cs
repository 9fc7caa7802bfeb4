namespace EdgeIoT.EdgeAgent.Tests.Arm64;

/// <summary>
/// Publishes a signed time beacon on the test hub every 500 ms until disposed, with the hub
/// clock set ahead of this machine's clock by a fixed lead. A device that reports that lead
/// as its clock offset has applied a beacon.
/// </summary>
internal sealed class HubBeacons : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public HubBeacons(TestHub hub, VenueKeys keys, TimeSpan lead)
    {
        _loop = PublishAsync(hub, keys, lead, _stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private static async Task PublishAsync(TestHub hub, VenueKeys keys, TimeSpan lead, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                long hubTimeMs = (DateTimeOffset.UtcNow + lead).ToUnixTimeMilliseconds();
                await hub.PublishTimeAsync(hubTimeMs, keys);
            }
            while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }
}
