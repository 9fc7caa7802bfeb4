namespace EdgeIoT.Firmware.Queue
{
    /// <summary>Outcome of <see cref="FlashRingQueue.Append"/>.</summary>
    public enum QueueAppendResult : byte
    {
        Stored = 0,

        /// <summary>No room: non-payment records may not use the payment reserve, or the flash is full.</summary>
        QueueFull = 1,

        /// <summary>The payload is larger than <see cref="FlashRingQueue.MaxPayloadLength"/>.</summary>
        TooLarge = 2,
    }
}
