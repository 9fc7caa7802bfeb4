namespace EdgeIoT.Firmware.Crypto
{
    /// <summary>Lower-case hexadecimal text, written by hand because nanoFramework lacks Convert.ToHexString.</summary>
    public static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static string Encode(byte[] data, int offset, int length)
        {
            if (data == null)
            {
                throw new System.ArgumentNullException(nameof(data));
            }

            char[] text = new char[length * 2];
            for (int i = 0; i < length; i++)
            {
                byte value = data[offset + i];
                text[i * 2] = Digits[value >> 4];
                text[(i * 2) + 1] = Digits[value & 0x0F];
            }

            return new string(text);
        }

        /// <summary>Formats a 64-bit id as exactly 16 lower-case hex digits, the form of token ids in events.</summary>
        public static string FromUInt64(ulong value)
        {
            char[] text = new char[16];
            for (int i = 15; i >= 0; i--)
            {
                text[i] = Digits[(int)(value & 0x0F)];
                value >>= 4;
            }

            return new string(text);
        }
    }
}
