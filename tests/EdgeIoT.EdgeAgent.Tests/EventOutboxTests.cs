using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.Tests;

public sealed class EventOutboxTests
{
    [Fact]
    public void Outbox_KilledWhileOpen_EventsSurvive()
    {
        using var folder = new TempFolder();
        string live = Path.Combine(folder.Path, "live", EventOutbox.FileName);
        string crashed = Path.Combine(folder.Path, "crashed", EventOutbox.FileName);
        using var outbox = new EventOutbox(live, "lane-1", capacity: 100);
        for (int i = 0; i < 3; i++)
        {
            outbox.Append(EventKinds.Decision, i, static (draft, n) => draft with { Detail = $"scan {n}" });
        }

        // Copying the database and its WAL while the connection is open is what a kill -9
        // leaves on disk: nothing was checkpointed or closed.
        Directory.CreateDirectory(Path.GetDirectoryName(crashed)!);
        File.Copy(live, crashed);
        File.Copy(live + "-wal", crashed + "-wal");
        using var reopened = new EventOutbox(crashed, "lane-1", capacity: 100);

        Assert.Equal(3, reopened.Depth);
        Assert.Equal(3, reopened.LastSeq);
        IReadOnlyList<OutboxEntry> pending = reopened.ReadPending(afterSeq: 0, max: 10);
        Assert.Equal([1L, 2L, 3L], pending.Select(entry => entry.Seq));
        Assert.Equal("scan 2", ProtocolJson.Deserialize<EdgeEvent>(pending[2].Payload).Detail);
    }

    [Fact]
    public void Outbox_AllAcknowledgedThenReopened_SeqKeepsRising()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, EventOutbox.FileName);
        using (var outbox = new EventOutbox(path, "lane-1", capacity: 100))
        {
            EdgeEvent first = outbox.Append(EventKinds.Decision, 0, static (draft, _) => draft);
            outbox.Acknowledge(first.Seq);
        }

        using var reopened = new EventOutbox(path, "lane-1", capacity: 100);
        EdgeEvent next = reopened.Append(EventKinds.Decision, 0, static (draft, _) => draft);

        Assert.Equal(1, reopened.Depth);
        Assert.Equal(2, next.Seq);
        Assert.Equal("lane-1:2", next.EventId);
    }

    [Fact]
    public void Outbox_Full_RejectsDecisionsButAcceptsPayments()
    {
        using var folder = new TempFolder();
        using var outbox = new EventOutbox(Path.Combine(folder.Path, EventOutbox.FileName), "lane-1", capacity: 2);
        outbox.Append(EventKinds.Decision, 0, static (draft, _) => draft);
        outbox.Append(EventKinds.Decision, 0, static (draft, _) => draft);

        Assert.Throws<OutboxFullException>(() => outbox.Append(EventKinds.Decision, 0, static (draft, _) => draft));
        EdgeEvent payment = outbox.Append(EventKinds.Payment, 0, static (draft, _) => draft with { AmountMinor = 500 });

        IReadOnlyList<OutboxEntry> pending = outbox.ReadPending(afterSeq: 0, max: 10);
        Assert.Equal(4, pending.Count);
        Assert.Equal(EventKinds.Status, pending[2].Kind);
        Assert.Equal("outbox full", ProtocolJson.Deserialize<EdgeEvent>(pending[2].Payload).Detail);
        Assert.Equal(EventKinds.Payment, pending[3].Kind);
        Assert.Equal(4, payment.Seq);
    }

    [Fact]
    public async Task Outbox_AgentRestarts_ResendsUnacknowledgedButNotAcknowledged()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        int port = TestHub.FreeLoopbackPort();
        await using (var offlineLane = new Lane(keys, folder.Path, port))
        {
            offlineLane.InstallVenueState(keys);
            offlineLane.Start();
            await offlineLane.ScanAsync(keys.Issue(1001), timeout.Token);
            await offlineLane.ScanAsync(keys.Forge(1001), timeout.Token);
        }

        await using TestHub hub = await TestHub.StartAsync(port);
        await hub.PublishVenueStateAsync(keys);
        await using (var restartedLane = new Lane(keys, folder.Path, port))
        {
            restartedLane.Start();
            await restartedLane.WaitConnectedAsync(timeout.Token);
            EdgeEvent resentFirst = await hub.Events.Reader.ReadAsync(timeout.Token);
            EdgeEvent resentSecond = await hub.Events.Reader.ReadAsync(timeout.Token);
            Assert.Equal(1, resentFirst.Seq);
            Assert.Equal(2, resentSecond.Seq);
            Assert.Equal("bad_signature", resentSecond.Reason);
            Assert.True(await restartedLane.Publisher.WaitUntilDrainedAsync(TestTimeouts.Signal, timeout.Token));
        }

        await using var laterLane = new Lane(keys, folder.Path, port);
        laterLane.Start();
        await laterLane.WaitConnectedAsync(timeout.Token);
        await laterLane.WaitForVenueStateAsync(timeout.Token);
        await laterLane.ScanAsync(keys.Issue(2001), timeout.Token);

        // The publisher sends in seq order, so a resent event 1 or 2 would arrive before 3.
        EdgeEvent next = await hub.Events.Reader.ReadAsync(timeout.Token);
        Assert.Equal(3, next.Seq);
        Assert.Equal(2001, next.EntitlementId);
    }
}
