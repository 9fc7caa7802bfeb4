using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.Tests;

public sealed class HubConnectionTests
{
    [Fact]
    public async Task HubRestarts_EventsDecidedMeanwhile_DeliveredAfterReconnect()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        int port = TestHub.FreeLoopbackPort();
        TestHub firstHub = await TestHub.StartAsync(port);
        await firstHub.PublishVenueStateAsync(keys);
        await using var lane = new Lane(keys, folder.Path, port);
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lane.Hub.Disconnected += (_, _) => disconnected.TrySetResult();
        lane.Start();
        await lane.WaitConnectedAsync(timeout.Token);
        await lane.WaitForVenueStateAsync(timeout.Token);

        await firstHub.DisposeAsync();
        await disconnected.Task.WaitAsync(timeout.Token);
        AgentDecision? duringOutage = await lane.ScanAsync(keys.Issue(1001), timeout.Token);
        await using TestHub secondHub = await TestHub.StartAsync(port);
        EdgeEvent delivered = await secondHub.Events.Reader.ReadAsync(timeout.Token);

        Assert.Equal(DecisionModes.Offline, duringOutage?.Mode);
        Assert.Equal(duringOutage?.EventId, delivered.EventId);
        Assert.Equal("offline", delivered.Mode);
    }

    [Fact]
    public async Task Status_ConnectThenStop_RetainedOnlineThenOffline()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        var lane = new Lane(keys, folder.Path, hub.Port);
        lane.Start();
        await lane.WaitConnectedAsync(timeout.Token);

        DeviceStatus? online = await hub.GetRetainedStatusAsync(Lane.DeviceId);
        await lane.DisposeAsync();
        DeviceStatus? offline = await hub.GetRetainedStatusAsync(Lane.DeviceId);

        Assert.Equal("online", online?.State);
        Assert.Equal("agent", online?.DeviceClass);
        Assert.Equal("offline", offline?.State);
    }
}
