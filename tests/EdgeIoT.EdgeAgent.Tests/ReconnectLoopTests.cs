using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.Tests;

public sealed class ReconnectLoopTests
{
    private const int Lanes = 40;
    private static readonly TimeSpan HubBackAt = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task PowerCycle_FortyLanesStartTogether_FirstAttemptsSpreadBelowMinDelay()
    {
        IReadOnlyList<LaneTimeline> lanes = await RunPowerCycleAsync();

        TimeSpan[] first = [.. lanes.Select(lane => lane.Attempts[0])];
        Assert.All(first, at => Assert.InRange(at, TimeSpan.Zero, TimeSpan.FromMilliseconds(200)));
        Assert.True(MaxPerWindow(first, TimeSpan.FromMilliseconds(20)) <= Lanes / 4,
            $"First attempts bunch up: {MaxPerWindow(first, TimeSpan.FromMilliseconds(20))} in one 20 ms window");
    }

    [Fact]
    public async Task PowerCycle_HubBackAfterFiveSeconds_ReconnectsSpreadOverTime()
    {
        IReadOnlyList<LaneTimeline> lanes = await RunPowerCycleAsync();

        TimeSpan[] connected = [.. lanes.Select(lane => lane.Attempts[^1])];
        Assert.All(connected, at => Assert.True(at >= HubBackAt, $"Connected at {at} before the hub was back"));
        int busiest = MaxPerWindow(connected, TimeSpan.FromMilliseconds(100));
        Assert.True(busiest <= Lanes / 4, $"Reconnect storm: {busiest} of {Lanes} lanes within one 100 ms window");
        Assert.True(connected.Max() - connected.Min() >= TimeSpan.FromSeconds(1),
            $"Reconnects span only {(connected.Max() - connected.Min()).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task PowerCycle_EachLane_BackOffGrowsUpToMaxDelay()
    {
        IReadOnlyList<LaneTimeline> lanes = await RunPowerCycleAsync();

        foreach (LaneTimeline lane in lanes)
        {
            for (int i = 1; i < lane.Attempts.Count; i++)
            {
                TimeSpan gap = lane.Attempts[i] - lane.Attempts[i - 1];
                Assert.InRange(gap, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2));
            }
        }
    }

    [Fact]
    public void Schedule_MaxBelowMin_IsRejectedNamingBothValues()
    {
        var schedule = new ReconnectSchedule { MinDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(1) };

        var error = Assert.Throws<ArgumentException>(() => new ReconnectLoop(schedule));

        Assert.Contains("2000 ms", error.Message, StringComparison.Ordinal);
        Assert.Contains("1000 ms", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Starts one reconnect loop per lane at virtual time zero. The hub is down until
    /// <see cref="HubBackAt"/>, and each lane records the virtual time of every attempt.
    /// </summary>
    private static async Task<IReadOnlyList<LaneTimeline>> RunPowerCycleAsync()
    {
        var schedule = new ReconnectSchedule { MinDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2) };
        using var stop = new CancellationTokenSource();
        var lanes = new List<LaneTimeline>();
        var loops = new List<Task>();
        for (int lane = 0; lane < Lanes; lane++)
        {
            var timeline = new LaneTimeline();
            var loop = new ReconnectLoop(schedule, timeline.Clock, new Random(1000 + lane));
            lanes.Add(timeline);
            loops.Add(loop.RunAsync(
                _ => Task.FromResult(timeline.Attempt(HubBackAt)),
                token => Task.Delay(Timeout.Infinite, token),
                stop.Token));
        }

        await Task.WhenAll(lanes.Select(lane => lane.Connected.Task)).WaitAsync(TestTimeouts.Signal);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Task.WhenAll(loops));
        return lanes;
    }

    private static int MaxPerWindow(IEnumerable<TimeSpan> times, TimeSpan window)
    {
        TimeSpan[] sorted = [.. times.Order()];
        int max = 0;
        for (int i = 0, j = 0; i < sorted.Length; i++)
        {
            while (sorted[i] - sorted[j] >= window)
            {
                j++;
            }

            max = Math.Max(max, i - j + 1);
        }

        return max;
    }

    private sealed class LaneTimeline
    {
        public VirtualClock Clock { get; } = new();

        public List<TimeSpan> Attempts { get; } = [];

        public TaskCompletionSource Connected { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Attempt(TimeSpan hubBackAt)
        {
            Attempts.Add(Clock.Elapsed);
            if (Clock.Elapsed < hubBackAt)
            {
                return false;
            }

            Connected.TrySetResult();
            return true;
        }
    }

    /// <summary>
    /// A clock per lane whose timers fire at once and move its virtual time forward by their
    /// due time, so a lane's whole back-off sequence runs without waiting.
    /// </summary>
    private sealed class VirtualClock : TimeProvider
    {
        private long _elapsedTicks;

        public TimeSpan Elapsed => TimeSpan.FromTicks(Interlocked.Read(ref _elapsedTicks));

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return new NeverTimer();
            }

            Interlocked.Add(ref _elapsedTicks, dueTime.Ticks);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
            return new NeverTimer();
        }
    }

    private sealed class NeverTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
