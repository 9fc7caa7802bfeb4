namespace EdgeIoT.Firmware.Queue
{
    /// <summary>A record read from the flash queue; pass it back to <see cref="FlashRingQueue.Ack"/> once delivered.</summary>
    public class QueueRecord
    {
        internal QueueRecord(long sequence, bool isPayment, byte[] payload, int sector, int offset)
        {
            Sequence = sequence;
            IsPayment = isPayment;
            Payload = payload;
            Sector = sector;
            Offset = offset;
        }

        /// <summary>Sequence number the queue assigned; it grows by one per record and survives restarts.</summary>
        public long Sequence { get; private set; }

        public bool IsPayment { get; private set; }

        public byte[] Payload { get; private set; }

        internal int Sector { get; private set; }

        internal int Offset { get; private set; }
    }
}
