using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Snapshot
{
    /// <summary>
    /// Snapshot deltas, so a device that holds version N fetches only what changed after N.
    /// Delta layout (big-endian): format (1 byte, = 2), base version (4), version (4), event id
    /// (4), record count (4), then records in the snapshot's 9-byte layout, sorted by id. Each
    /// record replaces the entitlement with its id or adds it; entitlements are never removed,
    /// because cancelling one is a flag in its record.
    /// </summary>
    public partial class EntitlementSnapshot
    {
        public const byte DeltaFormatVersion = 2;
        public const int DeltaHeaderLength = 17;

        /// <summary>Returns true when the bytes start with the delta format byte (2), false for a full snapshot.</summary>
        public static bool IsDelta(byte[] data)
        {
            return data != null && data.Length > 0 && data[0] == DeltaFormatVersion;
        }

        /// <summary>Encodes the changes from <paramref name="baseVersion"/> to <paramref name="version"/>; ids must be unique.</summary>
        public static byte[] EncodeDelta(uint baseVersion, uint version, uint eventId, EntitlementRecord[] records)
        {
            if (records == null)
            {
                throw new System.ArgumentNullException(nameof(records));
            }

            EntitlementRecord[] sorted = new EntitlementRecord[records.Length];
            System.Array.Copy(records, sorted, records.Length);
            SortById(sorted);

            byte[] buffer = new byte[DeltaHeaderLength + (sorted.Length * RecordLength)];
            buffer[0] = DeltaFormatVersion;
            BigEndian.WriteUInt32(buffer, 1, baseVersion);
            BigEndian.WriteUInt32(buffer, 5, version);
            BigEndian.WriteUInt32(buffer, 9, eventId);
            BigEndian.WriteUInt32(buffer, 13, (uint)sorted.Length);
            for (int i = 0; i < sorted.Length; i++)
            {
                if (i > 0 && sorted[i - 1].EntitlementId == sorted[i].EntitlementId)
                {
                    throw new System.ArgumentException(
                        "Entitlement id " + sorted[i].EntitlementId.ToString() + " appears twice.", nameof(records));
                }

                WriteRecord(buffer, DeltaHeaderLength + (i * RecordLength), sorted[i]);
            }

            return buffer;
        }

        /// <summary>
        /// Returns a new snapshot with the delta applied, or null with <paramref name="error"/> set
        /// when the delta is malformed, belongs to another event, or starts from another version
        /// than this snapshot's; the caller then fetches the full snapshot.
        /// </summary>
        public EntitlementSnapshot ApplyDelta(byte[] delta, out string error)
        {
            error = CheckDelta(delta);
            if (error != null)
            {
                return null;
            }

            int count = (int)BigEndian.ReadUInt32(delta, 13);
            int merged = CountMerged(delta, count);
            uint[] ids = new uint[merged];
            byte[] records = new byte[merged * RecordLength];
            int own = 0;
            int added = 0;
            for (int target = 0; target < merged; target++)
            {
                int deltaOffset = DeltaHeaderLength + (added * RecordLength);
                uint deltaId = added < count ? BigEndian.ReadUInt32(delta, deltaOffset) : uint.MaxValue;
                bool takeDelta = added < count && (own >= _ids.Length || deltaId <= _ids[own]);
                if (takeDelta)
                {
                    if (own < _ids.Length && _ids[own] == deltaId)
                    {
                        own++;
                    }

                    ids[target] = deltaId;
                    System.Array.Copy(delta, deltaOffset, records, target * RecordLength, RecordLength);
                    added++;
                }
                else
                {
                    ids[target] = _ids[own];
                    System.Array.Copy(_records, own * RecordLength, records, target * RecordLength, RecordLength);
                    own++;
                }
            }

            return new EntitlementSnapshot(BigEndian.ReadUInt32(delta, 5), EventId, ids, records);
        }

        /// <summary>Encodes this snapshot in the full layout, for a device that stores what it applied.</summary>
        public byte[] ToBytes()
        {
            byte[] buffer = new byte[HeaderLength + _records.Length];
            buffer[0] = FormatVersion;
            BigEndian.WriteUInt32(buffer, 1, Version);
            BigEndian.WriteUInt32(buffer, 5, EventId);
            BigEndian.WriteUInt32(buffer, 9, (uint)_ids.Length);
            System.Array.Copy(_records, 0, buffer, HeaderLength, _records.Length);
            return buffer;
        }

        private string CheckDelta(byte[] delta)
        {
            if (delta == null || delta.Length < DeltaHeaderLength)
            {
                return "delta is shorter than its 17-byte header";
            }

            if (delta[0] != DeltaFormatVersion)
            {
                return "delta format " + delta[0].ToString() + " is not supported";
            }

            uint baseVersion = BigEndian.ReadUInt32(delta, 1);
            uint version = BigEndian.ReadUInt32(delta, 5);
            if (baseVersion != Version || version < baseVersion)
            {
                return "delta from version " + baseVersion.ToString() + " to " + version.ToString()
                    + " does not apply to snapshot version " + Version.ToString();
            }

            if (BigEndian.ReadUInt32(delta, 9) != EventId)
            {
                return "delta is for event " + BigEndian.ReadUInt32(delta, 9).ToString() + ", not " + EventId.ToString();
            }

            uint count = BigEndian.ReadUInt32(delta, 13);
            if (count > MaxRecords || delta.Length != DeltaHeaderLength + ((int)count * RecordLength))
            {
                return "delta length " + delta.Length.ToString() + " does not match its record count " + count.ToString();
            }

            for (int i = 1; i < count; i++)
            {
                if (BigEndian.ReadUInt32(delta, DeltaHeaderLength + (i * RecordLength))
                    <= BigEndian.ReadUInt32(delta, DeltaHeaderLength + ((i - 1) * RecordLength)))
                {
                    return "delta record " + i.ToString() + " is out of order or repeats an id";
                }
            }

            return null;
        }

        private int CountMerged(byte[] delta, int count)
        {
            int merged = _ids.Length;
            for (int i = 0; i < count; i++)
            {
                if (Find(BigEndian.ReadUInt32(delta, DeltaHeaderLength + (i * RecordLength))) == null)
                {
                    merged++;
                }
            }

            return merged;
        }

        private static void WriteRecord(byte[] buffer, int offset, EntitlementRecord record)
        {
            BigEndian.WriteUInt32(buffer, offset, record.EntitlementId);
            buffer[offset + 4] = (byte)record.Tier;
            buffer[offset + 5] = (byte)record.Payment;
            buffer[offset + 6] = (byte)((record.Cancelled ? 1 : 0) | (record.SingleEntry ? 2 : 0));
            BigEndian.WriteUInt16(buffer, offset + 7, record.Epoch);
        }
    }
}
