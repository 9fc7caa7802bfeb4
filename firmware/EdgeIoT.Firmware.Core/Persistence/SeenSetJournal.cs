using EdgeIoT.Firmware.Crypto;
using EdgeIoT.Firmware.Queue;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Persistence
{
    /// <summary>
    /// The seen-set on flash, so a token admitted just before a reset is still "already
    /// admitted" after it. The region is split into two banks of equal size. Entries are
    /// appended to the active bank; when it is full, the entries still live (keep-until not
    /// past) are copied to the other bank, which then becomes active. The bank with the
    /// highest valid generation header is the active one. The header is written after the
    /// copied entries, so a copy cut short by a power loss leaves the old bank in force.
    /// Bank header (12 bytes): magic "EIS1", generation (4), CRC-32 of those 8 bytes (4).
    /// Entry (20 bytes): token id (8), keep-until Unix seconds (4), admitted-at Unix seconds
    /// (4), CRC-32 of those 16 bytes (4); an all-0xFF entry is free.
    /// </summary>
    public class SeenSetJournal
    {
        public const int HeaderLength = 12;
        public const int EntryLength = 20;
        private const uint Magic = 0x45495331;

        private readonly IFlashStorage _flash;
        private readonly int _bankSize;
        private readonly int _entriesPerBank;
        private int _activeBank;
        private uint _generation;
        private int _nextEntry;

        /// <param name="flash">Region of an even number of sectors, at least two.</param>
        /// <param name="minimumEntries">Entries one bank must hold: at least the in-memory seen-set's capacity.</param>
        public SeenSetJournal(IFlashStorage flash, int minimumEntries)
        {
            if (flash == null)
            {
                throw new System.ArgumentNullException(nameof(flash));
            }

            int sectors = flash.SectorSize <= 0 ? 0 : flash.Size / flash.SectorSize;
            if (sectors < 2 || sectors % 2 != 0 || flash.Size % flash.SectorSize != 0)
            {
                throw new System.ArgumentException(
                    "Seen-set flash region must be an even number of sectors, at least two; got size "
                    + flash.Size.ToString() + " and sector size " + flash.SectorSize.ToString(), nameof(flash));
            }

            _flash = flash;
            _bankSize = flash.Size / 2;
            _entriesPerBank = (_bankSize - HeaderLength) / EntryLength;
            if (minimumEntries <= 0 || _entriesPerBank < minimumEntries)
            {
                throw new System.ArgumentException(
                    "Seen-set flash bank holds " + _entriesPerBank.ToString() + " entries but "
                    + minimumEntries.ToString() + " are needed; give the region more sectors", nameof(flash));
            }

            Mount();
        }

        /// <summary>Entries one bank holds before it is compacted into the other.</summary>
        public int EntriesPerBank
        {
            get { return _entriesPerBank; }
        }

        /// <summary>Entries written to the active bank, live or expired.</summary>
        public int EntriesInBank
        {
            get { return _nextEntry; }
        }

        /// <summary>
        /// Stores one admitted token id durably before returning. When the active bank is
        /// full, its live entries move to the other bank first.
        /// </summary>
        public void Append(ulong tokenId, uint keepUntilUnixSeconds, uint nowUnixSeconds)
        {
            if (_nextEntry >= _entriesPerBank)
            {
                Compact(nowUnixSeconds);
            }

            WriteEntry(_activeBank, _nextEntry, tokenId, keepUntilUnixSeconds, nowUnixSeconds);
            _nextEntry++;
        }

        /// <summary>
        /// Adds every intact entry of the active bank to <paramref name="seen"/>. Expired
        /// entries are added too, because after a reset the time is unknown; the seen-set
        /// ignores them once the clock is synchronized again.
        /// </summary>
        public int LoadInto(SeenSet seen)
        {
            if (seen == null)
            {
                throw new System.ArgumentNullException(nameof(seen));
            }

            int loaded = 0;
            byte[] entry = new byte[EntryLength];
            for (int i = 0; i < _nextEntry; i++)
            {
                if (ReadEntry(_activeBank, i, entry))
                {
                    seen.Add(BigEndian.ReadUInt64(entry, 0), BigEndian.ReadUInt32(entry, 8), 0);
                    loaded++;
                }
            }

            return loaded;
        }

        /// <summary>Finds the active bank and its first free entry by reading the flash, as after a reset.</summary>
        public void Mount()
        {
            uint generation0;
            uint generation1;
            bool valid0 = TryReadHeader(0, out generation0);
            bool valid1 = TryReadHeader(1, out generation1);
            if (!valid0 && !valid1)
            {
                Format();
                return;
            }

            _activeBank = valid0 && (!valid1 || generation0 > generation1) ? 0 : 1;
            _generation = _activeBank == 0 ? generation0 : generation1;
            _nextEntry = FindNextFree(_activeBank);
        }

        private void Format()
        {
            EraseBank(0);
            WriteHeader(0, 1);
            _activeBank = 0;
            _generation = 1;
            _nextEntry = 0;
        }

        private void Compact(uint nowUnixSeconds)
        {
            int target = 1 - _activeBank;
            byte[] entry = new byte[EntryLength];
            int live = 0;
            for (int i = 0; i < _nextEntry; i++)
            {
                if (ReadEntry(_activeBank, i, entry) && BigEndian.ReadUInt32(entry, 8) >= nowUnixSeconds)
                {
                    live++;
                }
            }

            // A bank full of live entries means more admits than it was sized for; the oldest
            // admits are dropped so the newest, which expire last, are kept.
            int skip = live >= _entriesPerBank ? live - _entriesPerBank + 1 : 0;
            EraseBank(target);
            int written = 0;
            for (int i = 0; i < _nextEntry; i++)
            {
                if (!ReadEntry(_activeBank, i, entry) || BigEndian.ReadUInt32(entry, 8) < nowUnixSeconds)
                {
                    continue;
                }

                if (skip > 0)
                {
                    skip--;
                    continue;
                }

                _flash.WriteAt(EntryPosition(target, written), entry, 0, EntryLength);
                written++;
            }

            WriteHeader(target, _generation + 1);
            _generation++;
            _activeBank = target;
            _nextEntry = written;
        }

        private int FindNextFree(int bank)
        {
            byte[] entry = new byte[EntryLength];
            int next = 0;
            for (int i = 0; i < _entriesPerBank; i++)
            {
                _flash.ReadAt(EntryPosition(bank, i), entry, 0, EntryLength);
                if (!IsErased(entry))
                {
                    // A torn entry still occupies its slot: writing over it could not clear it.
                    next = i + 1;
                }
            }

            return next;
        }

        private void WriteEntry(int bank, int index, ulong tokenId, uint keepUntil, uint admittedAt)
        {
            byte[] entry = new byte[EntryLength];
            BigEndian.WriteUInt64(entry, 0, tokenId);
            BigEndian.WriteUInt32(entry, 8, keepUntil);
            BigEndian.WriteUInt32(entry, 12, admittedAt);
            BigEndian.WriteUInt32(entry, 16, Crc32.Compute(entry, 0, 16));
            _flash.WriteAt(EntryPosition(bank, index), entry, 0, EntryLength);
        }

        private bool ReadEntry(int bank, int index, byte[] entry)
        {
            _flash.ReadAt(EntryPosition(bank, index), entry, 0, EntryLength);
            return BigEndian.ReadUInt32(entry, 16) == Crc32.Compute(entry, 0, 16);
        }

        private bool TryReadHeader(int bank, out uint generation)
        {
            byte[] header = new byte[HeaderLength];
            _flash.ReadAt(bank * _bankSize, header, 0, HeaderLength);
            generation = BigEndian.ReadUInt32(header, 4);
            return BigEndian.ReadUInt32(header, 0) == Magic && BigEndian.ReadUInt32(header, 8) == Crc32.Compute(header, 0, 8);
        }

        private void WriteHeader(int bank, uint generation)
        {
            byte[] header = new byte[HeaderLength];
            BigEndian.WriteUInt32(header, 0, Magic);
            BigEndian.WriteUInt32(header, 4, generation);
            BigEndian.WriteUInt32(header, 8, Crc32.Compute(header, 0, 8));
            _flash.WriteAt(bank * _bankSize, header, 0, HeaderLength);
        }

        private void EraseBank(int bank)
        {
            int sectorsPerBank = _bankSize / _flash.SectorSize;
            for (int i = 0; i < sectorsPerBank; i++)
            {
                _flash.Erase((bank * sectorsPerBank) + i);
            }
        }

        private int EntryPosition(int bank, int index)
        {
            return (bank * _bankSize) + HeaderLength + (index * EntryLength);
        }

        private static bool IsErased(byte[] bytes)
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
