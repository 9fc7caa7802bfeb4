using System.Text;
using EdgeIoT.Firmware.Queue;

namespace EdgeIoT.Firmware.Tests.Queue;

public class FlashRingQueueTests
{
    private static byte[] Payload(int n, int size = 20) =>
        Encoding.ASCII.GetBytes(("record-" + n.ToString()).PadRight(size, '.'));

    [Fact]
    public void Queue_AppendPeekAck_DeliversInOrderAndSurvivesRemount()
    {
        var flash = new RamFlashStorage(256, 4);
        var queue = new FlashRingQueue(flash, paymentReserveSectors: 1);
        for (int i = 1; i <= 3; i++)
        {
            Assert.Equal(QueueAppendResult.Stored, queue.Append(Payload(i), isPayment: i == 2, out long seq));
            Assert.Equal(i, seq);
        }

        QueueRecord first = queue.Peek()!;
        Assert.True(queue.Ack(first));
        Assert.False(queue.Ack(first));

        var remounted = new FlashRingQueue(flash, paymentReserveSectors: 1);
        QueueRecord head = remounted.Peek()!;
        Assert.Equal(2, remounted.Count);
        Assert.Equal(2, head.Sequence);
        Assert.True(head.IsPayment);
        Assert.Equal(Payload(2), head.Payload);
        Assert.Equal(4, remounted.NextSequence);
    }

    [Fact]
    public void Queue_ManySectorsAcked_ReclaimsSpaceAndKeepsSequence()
    {
        var flash = new RamFlashStorage(256, 4);
        var queue = new FlashRingQueue(flash, paymentReserveSectors: 1);

        for (int i = 1; i <= 100; i++)
        {
            Assert.Equal(QueueAppendResult.Stored, queue.Append(Payload(i, 60), isPayment: false, out long seq));
            Assert.Equal(i, seq);
            QueueRecord record = queue.Peek()!;
            Assert.Equal(i, record.Sequence);
            Assert.True(queue.Ack(record));
        }

        var remounted = new FlashRingQueue(flash, paymentReserveSectors: 1);
        Assert.Equal(0, remounted.Count);
        Assert.Null(remounted.Peek());
        Assert.Equal(101, remounted.NextSequence);
    }

    [Fact]
    public void Queue_Full_RefusesNonPaymentsButKeepsReserveForPayments()
    {
        var queue = new FlashRingQueue(new RamFlashStorage(256, 4), paymentReserveSectors: 1);
        int stored = 0;
        while (queue.Append(Payload(stored, 60), isPayment: false, out _) == QueueAppendResult.Stored)
        {
            stored++;
        }

        Assert.True(queue.IsFull);
        Assert.Equal(stored, queue.Count);
        Assert.Equal(QueueAppendResult.Stored, queue.Append(Payload(900, 60), isPayment: true, out _));

        while (queue.Append(Payload(901, 60), isPayment: true, out _) == QueueAppendResult.Stored)
        {
        }

        Assert.Equal(1, queue.Peek()!.Sequence);
        AckOldest(queue, 3);
        Assert.True(queue.IsFull);
        Assert.Equal(QueueAppendResult.QueueFull, queue.Append(Payload(902, 60), isPayment: false, out _));

        AckOldest(queue, 3);
        Assert.False(queue.IsFull);
        Assert.Equal(QueueAppendResult.Stored, queue.Append(Payload(902, 60), isPayment: false, out _));
    }

    private static void AckOldest(FlashRingQueue queue, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.True(queue.Ack(queue.Peek()!));
        }
    }

    [Fact]
    public void Queue_OversizedPayload_IsRefusedAsTooLarge()
    {
        var queue = new FlashRingQueue(new RamFlashStorage(256, 4), paymentReserveSectors: 1);

        Assert.Equal(QueueAppendResult.TooLarge, queue.Append(new byte[queue.MaxPayloadLength + 1], false, out _));
        Assert.Equal(QueueAppendResult.Stored, queue.Append(new byte[queue.MaxPayloadLength], false, out _));
    }

    [Fact]
    public void Queue_GarbageFlash_MountsEmpty()
    {
        var flash = new RamFlashStorage(256, 4);
        var random = new Random(7);
        byte[] noise = new byte[flash.Size];
        random.NextBytes(noise);
        flash.WriteAt(0, noise, 0, noise.Length);

        var queue = new FlashRingQueue(flash, paymentReserveSectors: 1);

        Assert.Equal(0, queue.Count);
        Assert.Equal(QueueAppendResult.Stored, queue.Append(Payload(1), false, out long seq));
        Assert.Equal(1, seq);
        Assert.Equal(Payload(1), new FlashRingQueue(flash, 1).Peek()!.Payload);
    }

    [Fact]
    public void Queue_PowerLossAtEveryByte_KeepsAllCompleteRecords()
    {
        var baseline = new RamFlashStorage(256, 4);
        var setup = new FlashRingQueue(baseline, paymentReserveSectors: 1);
        for (int i = 0; i < 6; i++)
        {
            setup.Append(Payload(i, 40), isPayment: i % 3 == 0, out _);
        }

        Assert.True(setup.Ack(setup.Peek()!));
        Assert.True(setup.Ack(setup.Peek()!));
        long firstNewSequence = setup.NextSequence;

        long totalBytes = RunScenario(baseline.Clone()).BytesWritten;
        Assert.True(totalBytes > 500, "the scenario must cross sectors and reclaim one");

        for (long cut = 0; cut <= totalBytes; cut++)
        {
            RamFlashStorage flash = baseline.Clone();
            flash.Budget = cut;
            ScenarioResult result = RunScenario(flash);
            flash.Budget = null;

            var recovered = new FlashRingQueue(flash, paymentReserveSectors: 1);
            List<long> remaining = Drain(recovered);

            // A record whose append or acknowledgement was cut may go either way; every other
            // record must be exactly where it was.
            List<long> expected = [3, 4, 5, 6, .. result.Stored];
            expected.RemoveAll(result.Acked.Contains);
            long?[] undecided = [result.AppendInFlight, result.AckInFlight];
            List<long> settledExpected = expected.Where(s => !undecided.Contains(s)).ToList();
            List<long> settledRemaining = remaining.Where(s => !undecided.Contains(s)).ToList();
            Assert.True(
                settledExpected.SequenceEqual(settledRemaining),
                $"cut at byte {cut}: expected [{string.Join(',', expected)}], recovered [{string.Join(',', remaining)}]");
            Assert.True(recovered.NextSequence > result.Stored.DefaultIfEmpty(firstNewSequence - 1).Max());
            Assert.Equal(QueueAppendResult.Stored, recovered.Append(Payload(99), false, out _));
        }
    }

    private sealed class ScenarioResult
    {
        public List<long> Stored { get; } = [];

        public List<long> Acked { get; } = [];

        public long? AppendInFlight { get; set; }

        public long? AckInFlight { get; set; }

        public long BytesWritten { get; set; }
    }

    /// <summary>Appends and acknowledges across a sector boundary until done or the power fails.</summary>
    private static ScenarioResult RunScenario(RamFlashStorage flash)
    {
        var result = new ScenarioResult();
        long before = flash.BytesWritten;
        try
        {
            var queue = new FlashRingQueue(flash, paymentReserveSectors: 1);
            for (int i = 0; i < 8; i++)
            {
                result.AppendInFlight = queue.NextSequence;
                if (queue.Append(Payload(100 + i, 40), isPayment: i % 2 == 0, out long seq) == QueueAppendResult.Stored)
                {
                    result.Stored.Add(seq);
                }

                result.AppendInFlight = null;
                if (i % 2 == 1)
                {
                    QueueRecord head = queue.Peek()!;
                    result.AckInFlight = head.Sequence;
                    Assert.True(queue.Ack(head));
                    result.Acked.Add(head.Sequence);
                    result.AckInFlight = null;
                }
            }
        }
        catch (PowerLossException)
        {
        }

        result.BytesWritten = flash.BytesWritten - before;
        return result;
    }

    private static List<long> Drain(FlashRingQueue queue)
    {
        var sequences = new List<long>();
        while (queue.Peek() is QueueRecord record)
        {
            sequences.Add(record.Sequence);
            Assert.True(queue.Ack(record));
        }

        return sequences;
    }
}
