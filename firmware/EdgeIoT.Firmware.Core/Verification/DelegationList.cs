using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Verification
{
    /// <summary>
    /// The delegation certificates the hub distributes next to the key list. Binary layout
    /// (big-endian): format (1 byte, = 1), event id (4), certificate count (2, at most
    /// <see cref="MaxCertificates"/>), then the 99-byte certificates. The list itself is not
    /// signed because every certificate carries the event key's signature and is checked on its own.
    /// </summary>
    public static class DelegationList
    {
        public const byte FormatVersion = 1;
        public const int HeaderLength = 7;
        public const int MaxCertificates = 1024;

        /// <summary>Serializes already signed certificates (each 99 bytes) into a list.</summary>
        public static byte[] Encode(uint eventId, byte[][] certificates)
        {
            if (certificates == null)
            {
                throw new System.ArgumentNullException(nameof(certificates));
            }

            if (certificates.Length > MaxCertificates)
            {
                throw new System.ArgumentOutOfRangeException(
                    nameof(certificates), "A delegation list holds at most 1024 certificates.");
            }

            byte[] buffer = new byte[HeaderLength + (certificates.Length * DelegationCertificate.TotalLength)];
            buffer[0] = FormatVersion;
            BigEndian.WriteUInt32(buffer, 1, eventId);
            BigEndian.WriteUInt16(buffer, 5, (ushort)certificates.Length);
            for (int i = 0; i < certificates.Length; i++)
            {
                if (certificates[i] == null || certificates[i].Length != DelegationCertificate.TotalLength)
                {
                    throw new System.ArgumentException(
                        "Certificate " + i.ToString() + " is not 99 bytes.", nameof(certificates));
                }

                System.Array.Copy(
                    certificates[i], 0, buffer, HeaderLength + (i * DelegationCertificate.TotalLength),
                    DelegationCertificate.TotalLength);
            }

            return buffer;
        }

        /// <summary>
        /// Checks the frame of a list and returns its certificate count, or -1 with
        /// <paramref name="error"/> set when the format, event id or length is wrong.
        /// </summary>
        public static int TryReadCount(byte[] list, uint expectedEventId, out string error)
        {
            error = null;
            if (list == null || list.Length < HeaderLength)
            {
                error = "delegation list is " + (list == null ? "missing" : list.Length.ToString() + " bytes")
                    + ", shorter than its 7-byte header";
                return -1;
            }

            if (list[0] != FormatVersion)
            {
                error = "delegation list format " + list[0].ToString() + " is unsupported, expected 1";
                return -1;
            }

            uint eventId = BigEndian.ReadUInt32(list, 1);
            if (eventId != expectedEventId)
            {
                error = "delegation list is for event " + eventId.ToString() + ", not " + expectedEventId.ToString();
                return -1;
            }

            int count = BigEndian.ReadUInt16(list, 5);
            int expectedLength = HeaderLength + (count * DelegationCertificate.TotalLength);
            if (count > MaxCertificates || list.Length != expectedLength)
            {
                error = "delegation list of " + count.ToString() + " certificates is " + list.Length.ToString()
                    + " bytes, expected " + expectedLength.ToString();
                return -1;
            }

            return count;
        }
    }
}
