using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.EdgeAgent.Tests;

public sealed class HubClockTests
{
    [Fact]
    public async Task Scan_NoTimeBeaconYet_DeniedClockUnreliable()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort(), trustLocalClock: false);
        lane.InstallVenueState(keys);

        AgentDecision? decision = await lane.ScanAsync(keys.Issue(1001), timeout.Token);

        Assert.NotNull(decision);
        Assert.False(decision.Admitted);
        Assert.Equal(RejectReason.ClockUnreliable, decision.Reason);
        Assert.Equal(0, lane.RelayPulses);
    }

    [Fact]
    public async Task Scan_AfterHubTimeBeacon_Admitted()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        await hub.PublishVenueStateAsync(keys);
        await using var lane = new Lane(keys, folder.Path, hub.Port, trustLocalClock: false);
        lane.Start();
        await lane.WaitConnectedAsync(timeout.Token);
        await lane.WaitForVenueStateAsync(timeout.Token);
        Task beaconApplied = WaitForBeaconAsync(lane.Clock, timeout.Token);

        await hub.PublishTimeAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), keys);
        await beaconApplied;
        AgentDecision? decision = await lane.ScanAsync(keys.Issue(1001), timeout.Token);

        Assert.True(lane.Clock.IsReliable);
        Assert.True(decision?.Admitted);
    }

    [Fact]
    public async Task Scan_AfterUnsignedTimeBeacon_DeniedClockUnreliable()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        await hub.PublishVenueStateAsync(keys);
        await using var lane = new Lane(keys, folder.Path, hub.Port, trustLocalClock: false);
        lane.Start();
        await lane.WaitConnectedAsync(timeout.Token);
        await lane.WaitForVenueStateAsync(timeout.Token);
        Task signedApplied = WaitForBeaconAsync(lane.Clock, timeout.Token);

        // Had the agent accepted the unsigned beacon from 3 h ahead, it would reject the signed
        // one after it as older, and its offset would stay near 3 h.
        await hub.PublishTimeAsync(DateTimeOffset.UtcNow.AddHours(3).ToUnixTimeMilliseconds(), keys: null);
        await hub.PublishTimeAsync(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), keys);
        await signedApplied;

        Assert.True(lane.Clock.IsReliable);
        Assert.InRange(lane.Clock.OffsetMs, -60_000, 60_000);
    }

    [Fact]
    public void Clock_BeaconFarOff_Unreliable()
    {
        var clock = new HubClock(TimeProvider.System, TimeSpan.FromSeconds(30), trustLocalClock: false);

        clock.ApplyBeacon(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds());

        Assert.True(clock.HasBeacon);
        Assert.False(clock.IsReliable);
        Assert.InRange(clock.OffsetMs, 290_000, 310_000);
    }

    private static Task WaitForBeaconAsync(HubClock clock, CancellationToken cancellationToken)
    {
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        clock.BeaconApplied += (_, _) => applied.TrySetResult();
        return applied.Task.WaitAsync(cancellationToken);
    }
}
