using EdgeIoT.Firmware.Crypto;
using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Queue
{
    /// <summary>
    /// On-flash layout of the event queue (big-endian). Each sector starts with a header:
    /// magic "EIQ1" (4), sector sequence (4), sequence of its first record (8), CRC-32 of the
    /// previous 16 bytes (4). Records follow back to back: ack byte (1, 0xFF until the hub
    /// acknowledged the record), payload length (2), flags (1, bit 0 = payment), record
    /// sequence (8), payload, then CRC-32 (4) over everything after the ack byte. A record
    /// never spans sectors. The ack byte is outside the CRC so it can be cleared in place.
    /// </summary>
    internal static class FlashQueueFormat
    {
        public const uint Magic = 0x45495131;
        public const int SectorHeaderLength = 20;
        public const int RecordHeaderLength = 12;
        public const int RecordTrailerLength = 4;
        public const int RecordOverhead = RecordHeaderLength + RecordTrailerLength;
        public const byte PaymentFlag = 1;
        public const byte NotAcked = 0xFF;

        public static byte[] EncodeSectorHeader(uint sectorSequence, long firstRecordSequence)
        {
            byte[] header = new byte[SectorHeaderLength];
            BigEndian.WriteUInt32(header, 0, Magic);
            BigEndian.WriteUInt32(header, 4, sectorSequence);
            BigEndian.WriteUInt64(header, 8, (ulong)firstRecordSequence);
            BigEndian.WriteUInt32(header, 16, Crc32.Compute(header, 0, 16));
            return header;
        }

        /// <summary>Returns whether the header is intact, and its fields when it is.</summary>
        public static bool TryDecodeSectorHeader(byte[] header, out uint sectorSequence, out long firstRecordSequence)
        {
            sectorSequence = 0;
            firstRecordSequence = 0;
            if (BigEndian.ReadUInt32(header, 0) != Magic || BigEndian.ReadUInt32(header, 16) != Crc32.Compute(header, 0, 16))
            {
                return false;
            }

            sectorSequence = BigEndian.ReadUInt32(header, 4);
            firstRecordSequence = (long)BigEndian.ReadUInt64(header, 8);
            return true;
        }

        public static byte[] EncodeRecord(byte[] payload, bool isPayment, long sequence)
        {
            byte[] record = new byte[RecordOverhead + payload.Length];
            record[0] = NotAcked;
            BigEndian.WriteUInt16(record, 1, (ushort)payload.Length);
            record[3] = isPayment ? PaymentFlag : (byte)0;
            BigEndian.WriteUInt64(record, 4, (ulong)sequence);
            System.Array.Copy(payload, 0, record, RecordHeaderLength, payload.Length);
            int crcOffset = RecordHeaderLength + payload.Length;
            BigEndian.WriteUInt32(record, crcOffset, Crc32.Compute(record, 1, crcOffset - 1));
            return record;
        }

        public static byte[] PayloadOf(byte[] record)
        {
            byte[] payload = new byte[record.Length - RecordOverhead];
            System.Array.Copy(record, RecordHeaderLength, payload, 0, payload.Length);
            return payload;
        }
    }
}
