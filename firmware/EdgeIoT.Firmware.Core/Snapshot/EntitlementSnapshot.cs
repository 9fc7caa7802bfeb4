using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Snapshot
{
    /// <summary>
    /// The entitlement snapshot pushed by the hub, sorted by entitlement id for binary search.
    /// Binary layout (big-endian): format (1 byte, = 1), snapshot version (4), event id (4),
    /// record count (4), then 9 bytes per record: entitlement id (4), tier (1), payment
    /// status (1), flags (1: bit 0 cancelled, bit 1 single entry), epoch (2).
    /// </summary>
    public partial class EntitlementSnapshot : IRevocationCheck
    {
        public const byte FormatVersion = 1;
        public const int HeaderLength = 13;
        public const int RecordLength = 9;

        /// <summary>Most records a snapshot may hold, so a corrupt count cannot exhaust memory.</summary>
        public const int MaxRecords = 200000;

        private readonly uint[] _ids;
        private readonly byte[] _records;

        private EntitlementSnapshot(uint version, uint eventId, uint[] ids, byte[] records)
        {
            Version = version;
            EventId = eventId;
            _ids = ids;
            _records = records;
        }

        public uint Version { get; private set; }

        public uint EventId { get; private set; }

        public int Count
        {
            get { return _ids.Length; }
        }

        /// <summary>Builds and encodes a snapshot; records need not be sorted and ids must be unique.</summary>
        public static byte[] Encode(uint version, uint eventId, EntitlementRecord[] records)
        {
            if (records == null)
            {
                throw new System.ArgumentNullException(nameof(records));
            }

            EntitlementRecord[] sorted = new EntitlementRecord[records.Length];
            System.Array.Copy(records, sorted, records.Length);
            SortById(sorted);

            byte[] buffer = new byte[HeaderLength + (sorted.Length * RecordLength)];
            buffer[0] = FormatVersion;
            BigEndian.WriteUInt32(buffer, 1, version);
            BigEndian.WriteUInt32(buffer, 5, eventId);
            BigEndian.WriteUInt32(buffer, 9, (uint)sorted.Length);
            int offset = HeaderLength;
            for (int i = 0; i < sorted.Length; i++)
            {
                EntitlementRecord record = sorted[i];
                if (i > 0 && sorted[i - 1].EntitlementId == record.EntitlementId)
                {
                    throw new System.ArgumentException(
                        "Entitlement id " + record.EntitlementId.ToString() + " appears twice.", nameof(records));
                }

                BigEndian.WriteUInt32(buffer, offset, record.EntitlementId);
                buffer[offset + 4] = (byte)record.Tier;
                buffer[offset + 5] = (byte)record.Payment;
                buffer[offset + 6] = (byte)((record.Cancelled ? 1 : 0) | (record.SingleEntry ? 2 : 0));
                BigEndian.WriteUInt16(buffer, offset + 7, record.Epoch);
                offset += RecordLength;
            }

            return buffer;
        }

        /// <summary>Parses snapshot bytes; returns null with <paramref name="error"/> set when they are malformed.</summary>
        public static EntitlementSnapshot TryParse(byte[] data, out string error)
        {
            error = null;
            if (data == null || data.Length < HeaderLength)
            {
                error = "snapshot is shorter than its 13-byte header";
                return null;
            }

            if (data[0] != FormatVersion)
            {
                error = "snapshot format " + data[0].ToString() + " is not supported";
                return null;
            }

            uint count = BigEndian.ReadUInt32(data, 9);
            if (count > MaxRecords || data.Length != HeaderLength + ((int)count * RecordLength))
            {
                error = "snapshot length " + data.Length.ToString() + " does not match its record count "
                    + count.ToString();
                return null;
            }

            uint[] ids = new uint[count];
            byte[] records = new byte[count * RecordLength];
            System.Array.Copy(data, HeaderLength, records, 0, records.Length);
            for (int i = 0; i < count; i++)
            {
                ids[i] = BigEndian.ReadUInt32(records, i * RecordLength);
                if (i > 0 && ids[i] <= ids[i - 1])
                {
                    error = "snapshot record " + i.ToString() + " is out of order or repeats id " + ids[i].ToString();
                    return null;
                }
            }

            return new EntitlementSnapshot(BigEndian.ReadUInt32(data, 1), BigEndian.ReadUInt32(data, 5), ids, records);
        }

        /// <summary>Returns the record for this entitlement, or null when the snapshot has none.</summary>
        public EntitlementRecord Find(uint entitlementId)
        {
            int low = 0;
            int high = _ids.Length - 1;
            while (low <= high)
            {
                int middle = low + ((high - low) / 2);
                if (_ids[middle] == entitlementId)
                {
                    return ReadRecord(middle);
                }

                if (_ids[middle] < entitlementId)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return null;
        }

        public bool IsRevoked(uint entitlementId, ushort epoch)
        {
            EntitlementRecord record = Find(entitlementId);
            return record != null && (record.Cancelled || epoch < record.Epoch);
        }

        private EntitlementRecord ReadRecord(int index)
        {
            int offset = index * RecordLength;
            EntitlementRecord record = new EntitlementRecord();
            record.EntitlementId = _ids[index];
            record.Tier = (MembershipTier)_records[offset + 4];
            record.Payment = (PaymentStatus)_records[offset + 5];
            record.Cancelled = (_records[offset + 6] & 1) != 0;
            record.SingleEntry = (_records[offset + 6] & 2) != 0;
            record.Epoch = BigEndian.ReadUInt16(_records, offset + 7);
            return record;
        }

        private static void SortById(EntitlementRecord[] records)
        {
            // Insertion sort keeps this free of generic comparers. It is linear on sorted input,
            // which the hub provides by reading entitlements ordered by id.
            for (int i = 1; i < records.Length; i++)
            {
                EntitlementRecord current = records[i];
                int j = i - 1;
                while (j >= 0 && records[j].EntitlementId > current.EntitlementId)
                {
                    records[j + 1] = records[j];
                    j--;
                }

                records[j + 1] = current;
            }
        }
    }
}
