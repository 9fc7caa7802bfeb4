namespace EdgeIoT.Firmware.Crypto
{
    /// <summary>
    /// CRC-32 as used by zlib and Ethernet (reflected polynomial 0xEDB88320, initial and final
    /// value 0xFFFFFFFF), which detects the torn and bit-flipped records of the flash queue.
    /// </summary>
    public static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        /// <summary>Computes the CRC-32 of <paramref name="length"/> bytes starting at <paramref name="offset"/>.</summary>
        public static uint Compute(byte[] data, int offset, int length)
        {
            if (data == null)
            {
                throw new System.ArgumentNullException(nameof(data));
            }

            if (offset < 0 || length < 0 || offset + length > data.Length)
            {
                throw new System.ArgumentOutOfRangeException(nameof(length));
            }

            uint crc = 0xFFFFFFFF;
            for (int i = offset; i < offset + length; i++)
            {
                crc = Table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            }

            return crc ^ 0xFFFFFFFF;
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
