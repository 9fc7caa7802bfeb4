using System.Text;
using EdgeIoT.Firmware.Queue;

namespace EdgeIoT.Firmware.Tests.Queue;

public class FlashRingQueueReadAheadTests
{
    private static byte[] Payload(int n) => Encoding.ASCII.GetBytes(("record-" + n.ToString()).PadRight(60, '.'));

    [Fact]
    public void PeekAfter_AcrossSectors_ReturnsAllInOrder()
    {
        var queue = new FlashRingQueue(new RamFlashStorage(256, 6), paymentReserveSectors: 1);
        for (int i = 1; i <= 8; i++)
        {
            queue.Append(Payload(i), isPayment: false, out _);
        }

        var sequences = new List<long>();
        for (QueueRecord? record = queue.Peek(); record is not null; record = queue.PeekAfter(record))
        {
            sequences.Add(record.Sequence);
            Assert.Equal(Payload((int)record.Sequence), record.Payload);
        }

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], sequences);
    }

    [Fact]
    public void PeekAfter_LaterRecordAcked_SkipsIt()
    {
        var queue = new FlashRingQueue(new RamFlashStorage(256, 6), paymentReserveSectors: 1);
        for (int i = 1; i <= 4; i++)
        {
            queue.Append(Payload(i), isPayment: false, out _);
        }

        QueueRecord first = queue.Peek()!;
        QueueRecord second = queue.PeekAfter(first)!;
        Assert.True(queue.Ack(second));

        Assert.Equal(3, queue.PeekAfter(first)!.Sequence);
        Assert.Equal(1, queue.Peek()!.Sequence);
        Assert.Equal(3, queue.Count);
    }

    [Fact]
    public void Ack_OutOfOrder_ReclaimsAfterOldest()
    {
        var flash = new RamFlashStorage(256, 6);
        var queue = new FlashRingQueue(flash, paymentReserveSectors: 1);
        for (int i = 1; i <= 6; i++)
        {
            queue.Append(Payload(i), isPayment: false, out _);
        }

        QueueRecord first = queue.Peek()!;
        var later = new List<QueueRecord>();
        for (QueueRecord? record = queue.PeekAfter(first); record is not null; record = queue.PeekAfter(record))
        {
            later.Add(record);
        }

        int freeBefore = queue.FreeSectors;
        foreach (QueueRecord record in later)
        {
            Assert.True(queue.Ack(record));
        }

        Assert.Equal(freeBefore, queue.FreeSectors);
        Assert.Equal(1, queue.Count);
        Assert.True(queue.Ack(first));
        Assert.True(queue.FreeSectors > freeBefore);
        Assert.Equal(0, new FlashRingQueue(flash, paymentReserveSectors: 1).Count);
    }
}
