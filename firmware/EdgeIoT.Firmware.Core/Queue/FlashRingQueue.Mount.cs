namespace EdgeIoT.Firmware.Queue
{
    /// <summary>Recovery of the queue state from flash after a reset or power loss.</summary>
    public partial class FlashRingQueue
    {
        /// <summary>
        /// Rebuilds head, tail, count and the next sequence number by scanning the flash, as
        /// after a reset. Sectors whose every record is acknowledged are erased. An empty or
        /// unreadable flash is formatted, so this never fails on bad content.
        /// </summary>
        public void Mount()
        {
            int oldest = -1;
            int newest = -1;
            uint oldestSequence = 0;
            uint newestSequence = 0;
            long newestFirstRecord = 1;
            for (int sector = 0; sector < _sectorCount; sector++)
            {
                uint sequence;
                long firstRecord;
                if (!TryReadSectorHeader(sector, out sequence, out firstRecord))
                {
                    continue;
                }

                if (oldest < 0 || sequence < oldestSequence)
                {
                    oldest = sector;
                    oldestSequence = sequence;
                }

                if (newest < 0 || sequence > newestSequence)
                {
                    newest = sector;
                    newestSequence = sequence;
                    newestFirstRecord = firstRecord;
                }
            }

            _count = 0;
            _fullAlarm = false;
            if (oldest < 0)
            {
                Format();
                return;
            }

            _tailSector = newest;
            _tailSectorSequence = newestSequence;
            _nextSequence = newestFirstRecord;
            _headSector = oldest;
            _headOffset = FlashQueueFormat.SectorHeaderLength;
            ScanSectors(oldest, newest);
            AdvanceHead();
        }

        private void Format()
        {
            _tailSector = _sectorCount - 1;
            _tailSectorSequence = 0;
            _nextSequence = 1;
            _tailClosed = true;
            _headSector = _tailSector;
            _headOffset = _sectorSize;
            _tailOffset = _sectorSize;
            StartNextSector();
        }

        private void ScanSectors(int oldest, int newest)
        {
            bool headFound = false;
            int sector = oldest;
            while (true)
            {
                int end = ScanSector(sector, ref headFound);
                if (sector == newest)
                {
                    _tailOffset = end;
                    break;
                }

                sector = (sector + 1) % _sectorCount;
            }

            if (!headFound)
            {
                _headSector = _tailSector;
                _headOffset = _tailOffset;
            }
        }

        /// <summary>Counts the sector's records and returns the offset after the last intact one.</summary>
        private int ScanSector(int sector, ref bool headFound)
        {
            uint ignoredSequence;
            long ignoredFirst;
            if (!TryReadSectorHeader(sector, out ignoredSequence, out ignoredFirst))
            {
                return FlashQueueFormat.SectorHeaderLength;
            }

            int offset = FlashQueueFormat.SectorHeaderLength;
            _tailClosed = false;
            while (true)
            {
                RecordSlot slot = ReadSlot(sector, offset);
                if (slot.Status == RecordSlot.End)
                {
                    return offset;
                }

                if (slot.Status == RecordSlot.Torn)
                {
                    // Only the last write before a power loss can be torn. Appending after it could
                    // hide later records behind a bad length, so the sector is closed instead.
                    _tailClosed = true;
                    return offset;
                }

                if (slot.Sequence >= _nextSequence)
                {
                    _nextSequence = slot.Sequence + 1;
                }

                if (!slot.IsAcked)
                {
                    _count++;
                    if (!headFound)
                    {
                        headFound = true;
                        _headSector = sector;
                        _headOffset = offset;
                    }
                }

                offset += slot.TotalLength;
            }
        }

        private bool TryReadSectorHeader(int sector, out uint sequence, out long firstRecord)
        {
            byte[] header = new byte[FlashQueueFormat.SectorHeaderLength];
            _flash.ReadAt(Position(sector, 0), header, 0, header.Length);
            return FlashQueueFormat.TryDecodeSectorHeader(header, out sequence, out firstRecord);
        }
    }
}
