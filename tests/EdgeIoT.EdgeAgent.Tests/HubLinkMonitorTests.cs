using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.Tests;

/// <summary>
/// Online/offline switching of a lane against an MQTT hub on loopback behind a TCP proxy that
/// the tests slow down, cut and restore.
/// </summary>
public sealed class HubLinkMonitorTests
{
    private static HubLinkThresholds Thresholds() => new()
    {
        OfflineAfterFailures = 2,
        SlowCheckLatency = TimeSpan.FromMilliseconds(200),
        LatencyWindow = 3,
        OnlineAfterSuccesses = 2,
        RecoveryLatency = TimeSpan.FromMilliseconds(100),
        ProbeInterval = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task SlowHub_FailedChecks_SwitchOfflineThenBack()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        await hub.PublishVenueStateAsync(keys);
        await using var proxy = new DelayProxy(hub.Port);
        await using var lane = await StartLaneAsync(keys, folder, proxy, timeout.Token);
        HubLinkMonitor monitor = lane.Monitor!;

        proxy.Delay = TimeSpan.FromMilliseconds(400);
        AgentDecision first = (await lane.ScanAsync(keys.Issue(2001), timeout.Token))!;
        AgentDecision second = (await lane.ScanAsync(keys.Issue(2001), timeout.Token))!;
        bool onlineAfterTwoFailures = monitor.IsConnected;
        AgentDecision third = (await lane.ScanAsync(keys.Issue(2001), timeout.Token))!;
        Task<bool> online = NextModeAsync(monitor);
        proxy.Delay = TimeSpan.Zero;
        Assert.True(await online.WaitAsync(timeout.Token));
        AgentDecision fourth = (await lane.ScanAsync(keys.Issue(2001), timeout.Token))!;

        Assert.Equal(DecisionModes.Offline, first.Mode);
        Assert.True(first.Admitted);
        Assert.Equal(DecisionModes.Offline, second.Mode);
        Assert.False(onlineAfterTwoFailures);
        Assert.Equal(DecisionModes.Offline, third.Mode);
        Assert.Equal(DecisionModes.Online, fourth.Mode);
        Assert.Equal(2, monitor.Transitions);

        // The offline lane decided the third scan without a check, so the hub received only the
        // two failed attempts and the check after recovery. Each fallback kept its nonce.
        string[] seen = await ReadNoncesAsync(hub, 3, timeout.Token);
        Assert.Equal(new[] { first.Nonce, second.Nonce, fourth.Nonce }, seen);
    }

    [Fact]
    public async Task StoppedHub_SwitchesOfflineAtOnce()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        await hub.PublishVenueStateAsync(keys);
        await using var proxy = new DelayProxy(hub.Port);
        await using var lane = await StartLaneAsync(keys, folder, proxy, timeout.Token);
        HubLinkMonitor monitor = lane.Monitor!;

        Task<bool> offline = NextModeAsync(monitor);
        proxy.Cut();
        Assert.False(await offline.WaitAsync(timeout.Token));
        AgentDecision during = (await lane.ScanAsync(keys.Issue(2001), timeout.Token))!;
        Task<bool> online = NextModeAsync(monitor);
        proxy.Restore();
        Assert.True(await online.WaitAsync(timeout.Token));
        AgentDecision after = (await lane.ScanAsync(keys.Issue(2001), timeout.Token))!;

        Assert.Equal(DecisionModes.Offline, during.Mode);
        Assert.True(during.Admitted);
        Assert.Equal("paid-guests", during.PolicyRule);
        Assert.Equal(DecisionModes.Online, after.Mode);
        Assert.Equal(2, monitor.Transitions);
    }

    [Fact]
    public async Task LatencyAroundThreshold_DoesNotFlap()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        await hub.PublishVenueStateAsync(keys);
        await using var proxy = new DelayProxy(hub.Port);
        await using var lane = await StartLaneAsync(keys, folder, proxy, timeout.Token);

        var decisions = new List<AgentDecision?>();
        for (int i = 0; i < 12; i++)
        {
            // A round trip crosses the proxy twice, so it alternates around the 200 ms threshold.
            proxy.Delay = TimeSpan.FromMilliseconds(i % 2 == 0 ? 90 : 110);
            decisions.Add(await lane.ScanAsync(keys.Issue(2001), timeout.Token));
        }

        Assert.All(decisions, decision => Assert.True(decision?.Admitted));
        Assert.InRange(lane.Monitor!.Transitions, 0, 1);
    }

    private static async Task<Lane> StartLaneAsync(VenueKeys keys, TempFolder folder, DelayProxy proxy, CancellationToken cancellationToken)
    {
        var lane = new Lane(keys, folder.Path, proxy.Port, link: Thresholds());
        lane.Start();
        await lane.WaitConnectedAsync(cancellationToken);
        await lane.WaitForVenueStateAsync(cancellationToken);
        return lane;
    }

    private static Task<bool> NextModeAsync(HubLinkMonitor monitor)
    {
        var next = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        monitor.ModeChanged += (_, online) => next.TrySetResult(online);
        return next.Task;
    }

    private static async Task<string[]> ReadNoncesAsync(TestHub hub, int count, CancellationToken cancellationToken)
    {
        var nonces = new string[count];
        for (int i = 0; i < count; i++)
        {
            CheckRequest request = await hub.CheckRequests.Reader.ReadAsync(cancellationToken);
            nonces[i] = request.Nonce;
        }

        return nonces;
    }
}
