using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.Tests;

/// <summary>
/// An event the hub keeps rejecting: it must not block the events behind it, and after the
/// bounded retries it moves to the outbox's dead-letter table with an alarm, payload kept.
/// </summary>
public sealed class OutboxDeadLetterTests
{
    [Fact]
    public async Task RejectedEvent_DoesNotBlockLaterEvents()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        // The publisher keeps 50 events in flight, so 50 rejected ones fill its first window.
        hub.RejectEvent = edgeEvent => edgeEvent.Seq <= 50;
        await using var lane = new Lane(keys, folder.Path, hub.Port);
        for (int i = 1; i <= 51; i++)
        {
            AppendStatus(lane.Outbox, $"status {i}");
        }

        lane.Start();
        EdgeEvent delivered = await hub.Events.Reader.ReadAsync(timeout.Token);

        Assert.Equal(51, delivered.Seq);
    }

    [Fact]
    public async Task RejectedPayment_DeadLetteredWithAlarmAndKept()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using TestHub hub = await TestHub.StartAsync();
        hub.RejectEvent = edgeEvent => edgeEvent.Kind == EventKinds.Payment;
        await using var lane = new Lane(keys, folder.Path, hub.Port);
        EdgeEvent payment = lane.Outbox.Append(
            EventKinds.Payment, 0, static (draft, _) => draft with { AmountMinor = 700, Currency = "EUR" });

        lane.Start();
        EdgeEvent alarm = await hub.Events.Reader.ReadAsync(timeout.Token);

        Assert.Equal(EventKinds.Status, alarm.Kind);
        Assert.StartsWith($"dead letter: event {payment.EventId} (payment)", alarm.Detail, StringComparison.Ordinal);
        Assert.Equal(OutboxPublisher.DefaultMaxRejections, CountRejected(hub));
        Assert.Equal(1, lane.Outbox.DeadLetterCount);
        Assert.Equal(payment.EventId, lane.Outbox.OldestUnforwardedPayment()?.EventId);
    }

    [Fact]
    public void DeadLetters_SurviveReopen()
    {
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, EventOutbox.FileName);
        string eventId;
        using (var outbox = new EventOutbox(path, "lane-1", capacity: 10))
        {
            EdgeEvent payment = outbox.Append(EventKinds.Payment, 0, static (draft, _) => draft with { AmountMinor = 5 });
            eventId = payment.EventId;
            outbox.RecordRejection(payment.Seq, "PayloadFormatInvalid", maxRejections: 2, out bool firstMoved);
            outbox.RecordRejection(payment.Seq, "PayloadFormatInvalid", maxRejections: 2, out bool secondMoved);
            Assert.False(firstMoved);
            Assert.True(secondMoved);
            Assert.Equal(0, outbox.Depth);
        }

        using var reopened = new EventOutbox(path, "lane-1", capacity: 10);

        Assert.Equal(1, reopened.DeadLetterCount);
        Assert.Equal(eventId, reopened.OldestUnforwardedPayment()?.EventId);
    }

    private static void AppendStatus(EventOutbox outbox, string detail) =>
        outbox.Append(EventKinds.Status, detail, static (draft, d) => draft with { Detail = d });

    private static int CountRejected(TestHub hub)
    {
        int count = 0;
        while (hub.Rejected.Reader.TryRead(out _))
        {
            count++;
        }

        return count;
    }
}
