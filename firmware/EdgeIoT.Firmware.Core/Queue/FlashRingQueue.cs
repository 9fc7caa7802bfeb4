using EdgeIoT.Firmware.Crypto;
using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Queue
{
    /// <summary>
    /// The device outbox: a ring of flash sectors holding events until the hub acknowledges
    /// them. Records are appended, read oldest first with <see cref="Peek"/>, and marked
    /// delivered with <see cref="Ack"/> only after the hub's PUBACK. A sector is erased once
    /// every record in it is acknowledged. Power may fail at any byte: <see cref="Mount"/>
    /// finds head and tail by scanning, skips a torn last record by its CRC and continues in
    /// the next sector. No record is ever evicted. When the flash is short of space, new
    /// non-payment records are rejected first, so the last sectors stay free for payments.
    /// docs/firmware.md describes the format and the safe mode.
    /// </summary>
#pragma warning disable CA1711 // "Queue" is what this type is: a FIFO of records.
    public partial class FlashRingQueue
#pragma warning restore CA1711
    {
        private readonly IFlashStorage _flash;
        private readonly int _sectorSize;
        private readonly int _sectorCount;
        private readonly int _paymentReserveSectors;

        private int _headSector;
        private int _headOffset;
        private int _tailSector;
        private int _tailOffset;
        private bool _tailClosed;
        private uint _tailSectorSequence;
        private long _nextSequence;
        private int _count;
        private bool _fullAlarm;
        private long _refusedCount;

        /// <param name="flash">The flash region; it must hold at least three sectors.</param>
        /// <param name="paymentReserveSectors">Free sectors kept for payment records only.</param>
        public FlashRingQueue(IFlashStorage flash, int paymentReserveSectors)
        {
            if (flash == null)
            {
                throw new System.ArgumentNullException(nameof(flash));
            }

            if (flash.SectorSize < 256 || flash.Size % flash.SectorSize != 0 || flash.Size / flash.SectorSize < 3)
            {
                throw new System.ArgumentException(
                    "Flash region must be at least three sectors of at least 256 bytes, got size "
                    + flash.Size.ToString() + " and sector size " + flash.SectorSize.ToString(), nameof(flash));
            }

            int sectorCount = flash.Size / flash.SectorSize;
            if (paymentReserveSectors < 0 || paymentReserveSectors > sectorCount - 2)
            {
                throw new System.ArgumentOutOfRangeException(
                    nameof(paymentReserveSectors), "Payment reserve must leave at least two sectors for other records.");
            }

            _flash = flash;
            _sectorSize = flash.SectorSize;
            _sectorCount = sectorCount;
            _paymentReserveSectors = paymentReserveSectors;
            Mount();
        }

        /// <summary>Records stored and not yet acknowledged.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Largest payload one record can hold: a sector minus its header and the record overhead.</summary>
        public int MaxPayloadLength
        {
            get { return _sectorSize - FlashQueueFormat.SectorHeaderLength - FlashQueueFormat.RecordOverhead; }
        }

        /// <summary>Sequence number the next appended record receives.</summary>
        public long NextSequence
        {
            get { return _nextSequence; }
        }

        /// <summary>True from a refused non-payment record until acknowledgements free enough sectors for one.</summary>
        public bool IsFull
        {
            get { return _fullAlarm; }
        }

        /// <summary>Records refused for lack of space since the queue was created.</summary>
        public long RefusedCount
        {
            get { return _refusedCount; }
        }

        /// <summary>Sectors that hold no records and can take new ones.</summary>
        public int FreeSectors
        {
            get { return _sectorCount - UsedSectors(); }
        }

        /// <summary>
        /// Stores a record durably before returning. Returns <see cref="QueueAppendResult.Stored"/>
        /// with its sequence number, or why it was refused; a refused record is not stored.
        /// </summary>
        public QueueAppendResult Append(byte[] payload, bool isPayment, out long sequence)
        {
            return AppendRecord(payload, isPayment, isPayment, out sequence);
        }

        /// <summary>
        /// Stores a non-payment record that may use the payment reserve, as <see cref="Append"/>
        /// does for payments. The app uses it for the one status event per full episode, which
        /// reports to the hub why events stopped arriving.
        /// </summary>
        public QueueAppendResult AppendToReserve(byte[] payload, out long sequence)
        {
            return AppendRecord(payload, false, true, out sequence);
        }

        private QueueAppendResult AppendRecord(byte[] payload, bool isPayment, bool useReserve, out long sequence)
        {
            sequence = 0;
            if (payload == null)
            {
                throw new System.ArgumentNullException(nameof(payload));
            }

            if (payload.Length > MaxPayloadLength)
            {
                return QueueAppendResult.TooLarge;
            }

            int total = FlashQueueFormat.RecordOverhead + payload.Length;
            if (!HasRoomFor(total, useReserve))
            {
                _refusedCount++;
                if (!useReserve)
                {
                    _fullAlarm = true;
                }

                return QueueAppendResult.QueueFull;
            }

            if (_tailClosed || _tailOffset + total > _sectorSize)
            {
                StartNextSector();
            }

            bool wasEmpty = _count == 0;
            byte[] record = FlashQueueFormat.EncodeRecord(payload, isPayment, _nextSequence);
            _flash.WriteAt(Position(_tailSector, _tailOffset), record, 0, record.Length);
            if (wasEmpty)
            {
                _headSector = _tailSector;
                _headOffset = _tailOffset;
            }

            _tailOffset += total;
            _count++;
            sequence = _nextSequence++;
            return QueueAppendResult.Stored;
        }

        /// <summary>Returns the oldest record not yet acknowledged, or null when there is none.</summary>
        public QueueRecord Peek()
        {
            AdvanceHead();
            if (_count == 0 || IsHeadAtTail())
            {
                return null;
            }

            RecordSlot slot = ReadSlot(_headSector, _headOffset);
            return new QueueRecord(
                slot.Sequence, slot.IsPayment, FlashQueueFormat.PayloadOf(slot.Raw), _headSector, _headOffset);
        }

        /// <summary>
        /// Returns the next record after <paramref name="previous"/> that is not yet
        /// acknowledged, or null when there is none. <paramref name="previous"/> must itself be
        /// unacknowledged or in the sector of one, so its sector has not been reclaimed; the
        /// outbox uses it to read ahead while earlier records wait for their PUBACK.
        /// </summary>
        public QueueRecord PeekAfter(QueueRecord previous)
        {
            if (previous == null)
            {
                throw new System.ArgumentNullException(nameof(previous));
            }

            int sector = previous.Sector;
            int offset = previous.Offset + FlashQueueFormat.RecordOverhead + previous.Payload.Length;
            while (sector != _tailSector || offset < _tailOffset)
            {
                RecordSlot slot = ReadSlot(sector, offset);
                if (slot.Status == RecordSlot.Valid && slot.Sequence > previous.Sequence)
                {
                    if (!slot.IsAcked)
                    {
                        return new QueueRecord(
                            slot.Sequence, slot.IsPayment, FlashQueueFormat.PayloadOf(slot.Raw), sector, offset);
                    }

                    offset += slot.TotalLength;
                    continue;
                }

                if (sector == _tailSector)
                {
                    return null;
                }

                sector = (sector + 1) % _sectorCount;
                offset = FlashQueueFormat.SectorHeaderLength;
            }

            return null;
        }

        /// <summary>
        /// Marks a record delivered. Returns false when it was already acknowledged or is no
        /// longer at that position (its sector was reclaimed after a re-mount).
        /// </summary>
        public bool Ack(QueueRecord record)
        {
            if (record == null)
            {
                throw new System.ArgumentNullException(nameof(record));
            }

            RecordSlot slot = ReadSlot(record.Sector, record.Offset);
            if (slot.Status != RecordSlot.Valid || slot.IsAcked || slot.Sequence != record.Sequence)
            {
                return false;
            }

            byte[] acked = new byte[] { 0 };
            _flash.WriteAt(Position(record.Sector, record.Offset), acked, 0, 1);
            _count--;
            AdvanceHead();
            return true;
        }

        private bool HasRoomFor(int total, bool useReserve)
        {
            int free = FreeSectors;
            bool fitsInTail = !_tailClosed && _tailOffset + total <= _sectorSize;
            int reserve = useReserve ? 0 : _paymentReserveSectors;
            return fitsInTail ? free >= reserve : free - 1 >= reserve;
        }

        private void StartNextSector()
        {
            int sector = (_tailSector + 1) % _sectorCount;
            PrepareSector(sector);
            _tailSectorSequence++;
            byte[] header = FlashQueueFormat.EncodeSectorHeader(_tailSectorSequence, _nextSequence);
            _flash.WriteAt(Position(sector, 0), header, 0, header.Length);
            bool wasEmpty = _count == 0;
            _tailSector = sector;
            _tailOffset = FlashQueueFormat.SectorHeaderLength;
            _tailClosed = false;
            if (wasEmpty)
            {
                _headSector = _tailSector;
                _headOffset = _tailOffset;
            }
        }

        private void AdvanceHead()
        {
            while (!IsHeadAtTail())
            {
                RecordSlot slot = ReadSlot(_headSector, _headOffset);
                if (slot.Status == RecordSlot.Valid && !slot.IsAcked)
                {
                    return;
                }

                if (slot.Status == RecordSlot.Valid)
                {
                    _headOffset += slot.TotalLength;
                    continue;
                }

                if (_headSector == _tailSector)
                {
                    return;
                }

                int finished = _headSector;
                _headSector = (_headSector + 1) % _sectorCount;
                _headOffset = FlashQueueFormat.SectorHeaderLength;
                ReclaimSector(finished);
            }
        }

        private bool IsHeadAtTail()
        {
            return _headSector == _tailSector && _headOffset >= _tailOffset;
        }

        private void ReclaimSector(int sector)
        {
            // Clearing the magic first means a sector whose erase is cut short by a power loss
            // can never be mistaken for one holding records.
            byte[] zeros = new byte[4];
            _flash.WriteAt(Position(sector, 0), zeros, 0, zeros.Length);
            _flash.Erase(sector);
            if (_fullAlarm && FreeSectors - 1 >= _paymentReserveSectors)
            {
                _fullAlarm = false;
            }
        }

        private void PrepareSector(int sector)
        {
            if (!IsErased(sector))
            {
                ReclaimSector(sector);
            }
        }

        private bool IsErased(int sector)
        {
            byte[] chunk = new byte[256];
            for (int offset = 0; offset < _sectorSize; offset += chunk.Length)
            {
                _flash.ReadAt(Position(sector, offset), chunk, 0, chunk.Length);
                for (int i = 0; i < chunk.Length; i++)
                {
                    if (chunk[i] != 0xFF)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private int UsedSectors()
        {
            return ((_tailSector - _headSector + _sectorCount) % _sectorCount) + 1;
        }

        private int Position(int sector, int offset)
        {
            return (sector * _sectorSize) + offset;
        }

        private RecordSlot ReadSlot(int sector, int offset)
        {
            RecordSlot slot = new RecordSlot();
            if (offset + FlashQueueFormat.RecordOverhead > _sectorSize)
            {
                slot.Status = RecordSlot.End;
                return slot;
            }

            byte[] header = new byte[FlashQueueFormat.RecordHeaderLength];
            _flash.ReadAt(Position(sector, offset), header, 0, header.Length);
            int length = BigEndian.ReadUInt16(header, 1);
            if (header[0] == 0xFF && length == 0xFFFF)
            {
                slot.Status = IsAllErased(header) ? RecordSlot.End : RecordSlot.Torn;
                return slot;
            }

            int total = FlashQueueFormat.RecordOverhead + length;
            if (offset + total > _sectorSize)
            {
                slot.Status = RecordSlot.Torn;
                return slot;
            }

            byte[] raw = new byte[total];
            _flash.ReadAt(Position(sector, offset), raw, 0, total);
            if (BigEndian.ReadUInt32(raw, total - 4) != Crc32.Compute(raw, 1, total - 5))
            {
                slot.Status = RecordSlot.Torn;
                return slot;
            }

            slot.Status = RecordSlot.Valid;
            slot.TotalLength = total;
            slot.IsAcked = raw[0] != FlashQueueFormat.NotAcked;
            slot.IsPayment = (raw[3] & FlashQueueFormat.PaymentFlag) != 0;
            slot.Sequence = (long)BigEndian.ReadUInt64(raw, 4);
            slot.Raw = raw;
            return slot;
        }

        private static bool IsAllErased(byte[] bytes)
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] != 0xFF)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
