using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Verification
{
    /// <summary>
    /// The venue's edge signing keys, signed by the venue root key. Binary layout (big-endian):
    /// format (1 byte, = 1), list version (4), event id (4), key count (1), then per key: kid (8),
    /// public key (32), not-before (4), not-after (4), flags (1, bit 0 = revoked, bit 1 = event key); then the
    /// 64-byte Ed25519 signature of the venue root over everything before it.
    /// </summary>
    public class KeyList
    {
        public const byte FormatVersion = 1;
        public const int HeaderLength = 10;
        public const int EntryLength = 49;
        public const int MaxKeys = 32;
        public const byte RevokedFlag = 1;
        public const byte EventKeyFlag = 2;

        private readonly KeyEntry[] _entries;

        public KeyList(uint version, uint eventId, KeyEntry[] entries)
        {
            if (entries == null)
            {
                throw new System.ArgumentNullException(nameof(entries));
            }

            if (entries.Length > MaxKeys)
            {
                throw new System.ArgumentOutOfRangeException(nameof(entries), "A key list holds at most 32 keys.");
            }

            Version = version;
            EventId = eventId;
            _entries = entries;
        }

        /// <summary>Monotonic list version; a device never accepts a lower one than it holds.</summary>
        public uint Version { get; private set; }

        public uint EventId { get; private set; }

        public int Count
        {
            get { return _entries.Length; }
        }

        public KeyEntry GetEntry(int index)
        {
            return _entries[index];
        }

        /// <summary>Returns the key with this kid, or null when the list has none.</summary>
        public KeyEntry Find(ulong keyId)
        {
            for (int i = 0; i < _entries.Length; i++)
            {
                if (_entries[i].KeyId == keyId)
                {
                    return _entries[i];
                }
            }

            return null;
        }

        /// <summary>Serializes the list without its signature; the venue root signs these bytes.</summary>
        public byte[] EncodeUnsigned()
        {
            byte[] buffer = new byte[HeaderLength + (_entries.Length * EntryLength)];
            buffer[0] = FormatVersion;
            BigEndian.WriteUInt32(buffer, 1, Version);
            BigEndian.WriteUInt32(buffer, 5, EventId);
            buffer[9] = (byte)_entries.Length;
            int offset = HeaderLength;
            for (int i = 0; i < _entries.Length; i++)
            {
                KeyEntry entry = _entries[i];
                BigEndian.WriteUInt64(buffer, offset, entry.KeyId);
                System.Array.Copy(entry.PublicKey, 0, buffer, offset + 8, 32);
                BigEndian.WriteUInt32(buffer, offset + 40, entry.NotBeforeUnixSeconds);
                BigEndian.WriteUInt32(buffer, offset + 44, entry.NotAfterUnixSeconds);
                buffer[offset + 48] = (byte)((entry.Revoked ? RevokedFlag : 0) | (entry.EventKey ? EventKeyFlag : 0));
                offset += EntryLength;
            }

            return buffer;
        }

        /// <summary>
        /// Parses a signed key list and checks the venue root signature. Returns null, with
        /// <paramref name="error"/> set, when the bytes are malformed or the signature is wrong.
        /// </summary>
        public static KeyList TryParseSigned(
            byte[] signedList, byte[] rootPublicKey, ISignatureVerifier verifier, out string error)
        {
            error = null;
            if (signedList == null || signedList.Length < HeaderLength + TokenLayout.SignatureLength)
            {
                error = "key list is shorter than its header and signature";
                return null;
            }

            if (signedList[0] != FormatVersion)
            {
                error = "key list format " + signedList[0].ToString() + " is not supported";
                return null;
            }

            int count = signedList[9];
            int unsignedLength = HeaderLength + (count * EntryLength);
            if (count > MaxKeys || signedList.Length != unsignedLength + TokenLayout.SignatureLength)
            {
                error = "key list length " + signedList.Length.ToString() + " does not match its key count "
                    + count.ToString();
                return null;
            }

            if (!verifier.Verify(rootPublicKey, signedList, unsignedLength, signedList, unsignedLength))
            {
                error = "key list signature does not verify with the provisioned venue root key";
                return null;
            }

            KeyEntry[] entries = new KeyEntry[count];
            int offset = HeaderLength;
            for (int i = 0; i < count; i++)
            {
                KeyEntry entry = new KeyEntry();
                entry.KeyId = BigEndian.ReadUInt64(signedList, offset);
                entry.PublicKey = new byte[32];
                System.Array.Copy(signedList, offset + 8, entry.PublicKey, 0, 32);
                entry.NotBeforeUnixSeconds = BigEndian.ReadUInt32(signedList, offset + 40);
                entry.NotAfterUnixSeconds = BigEndian.ReadUInt32(signedList, offset + 44);
                entry.Revoked = (signedList[offset + 48] & RevokedFlag) != 0;
                entry.EventKey = (signedList[offset + 48] & EventKeyFlag) != 0;
                entries[i] = entry;
                offset += EntryLength;
            }

            return new KeyList(BigEndian.ReadUInt32(signedList, 1), BigEndian.ReadUInt32(signedList, 5), entries);
        }
    }
}
