using EdgeIoT.EdgeAgent.HubLink;

namespace EdgeIoT.EdgeAgent.Tests;

public sealed class LinkModeTrackerTests
{
    private static readonly HubLinkThresholds Defaults = new();

    private static TimeSpan Ms(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void Failures_BelowLimit_StayOnline()
    {
        var tracker = new LinkModeTracker(Defaults);

        tracker.RecordCheck(null);
        tracker.RecordCheck(null);
        tracker.RecordCheck(Ms(5));
        tracker.RecordCheck(null);
        tracker.RecordCheck(null);

        Assert.True(tracker.Online);
    }

    [Fact]
    public void Failures_AtLimit_SwitchOffline()
    {
        var tracker = new LinkModeTracker(Defaults);

        tracker.RecordCheck(null);
        tracker.RecordCheck(null);
        bool changed = tracker.RecordCheck(null);

        Assert.True(changed);
        Assert.False(tracker.Online);
        Assert.Contains("3 consecutive", tracker.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SlowMedian_SwitchesOffline()
    {
        var tracker = new LinkModeTracker(Defaults);

        foreach (double latency in new[] { 5.0, 400, 6, 7, 5 })
        {
            tracker.RecordCheck(Ms(latency));
        }

        bool onlineAfterOutlier = tracker.Online;
        foreach (double latency in new[] { 150.0, 160, 170 })
        {
            tracker.RecordCheck(Ms(latency));
        }

        Assert.True(onlineAfterOutlier);
        Assert.False(tracker.Online);
    }

    [Fact]
    public void Recovery_NeedsConsecutiveFastProbes()
    {
        var tracker = new LinkModeTracker(Defaults);
        tracker.RecordDisconnect();

        tracker.RecordProbe(Ms(10));
        tracker.RecordProbe(Ms(10));
        tracker.RecordProbe(Ms(80));
        tracker.RecordProbe(Ms(10));
        tracker.RecordProbe(Ms(10));
        bool offlineBeforeThird = !tracker.Online;
        tracker.RecordProbe(Ms(10));

        Assert.True(offlineBeforeThird);
        Assert.True(tracker.Online);
        Assert.Equal(2, tracker.Transitions);
    }

    [Fact]
    public void LatencyAroundThreshold_SwitchesAtMostOnce()
    {
        var tracker = new LinkModeTracker(Defaults);

        for (int i = 0; i < 200; i++)
        {
            TimeSpan latency = Ms(i % 2 == 0 ? 95 : 105);
            tracker.RecordCheck(latency);
            tracker.RecordProbe(latency);
        }

        Assert.InRange(tracker.Transitions, 0, 1);
    }

    [Fact]
    public void Thresholds_RecoveryAboveSlow_Invalid()
    {
        var thresholds = new HubLinkThresholds { RecoveryLatency = Ms(300) };

        string? error = thresholds.Validate();

        Assert.NotNull(error);
        Assert.Contains("RecoveryLatency", error, StringComparison.Ordinal);
    }
}
