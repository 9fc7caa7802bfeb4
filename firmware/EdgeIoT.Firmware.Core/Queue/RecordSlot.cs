namespace EdgeIoT.Firmware.Queue
{
    /// <summary>What the queue found at one position of a sector while scanning.</summary>
    internal sealed class RecordSlot
    {
        public const byte End = 0;
        public const byte Torn = 1;
        public const byte Valid = 2;

        public byte Status { get; set; }

        public int TotalLength { get; set; }

        public bool IsPayment { get; set; }

        public bool IsAcked { get; set; }

        public long Sequence { get; set; }

        public byte[] Raw { get; set; }
    }
}
