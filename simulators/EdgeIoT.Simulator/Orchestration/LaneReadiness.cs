namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// Holds guests back from a lane that is starting until it shows ready: key list, snapshot,
/// policy and hub time received. Staff at a real venue wait for the lane's ready light the same way.
/// </summary>
public static class LaneReadiness
{
    /// <summary>Longest wait; a hub that is itself down can delay a restarted lane this long.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task WaitAsync(IGateLane lane, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lane);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            while (!lane.IsReady)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The lane opens anyway and denies what it cannot check; the report shows those denies.
        }
    }
}
