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

        /// <summary>Parses hex text of even length (either case); returns false for any other text.</summary>
        public static bool TryDecode(string text, out byte[] bytes)
        {
            bytes = null;
            if (text == null || (text.Length % 2) != 0)
            {
                return false;
            }

            byte[] result = new byte[text.Length / 2];
            for (int i = 0; i < result.Length; i++)
            {
                int high = DigitValue(text[i * 2]);
                int low = DigitValue(text[(i * 2) + 1]);
                if (high < 0 || low < 0)
                {
                    return false;
                }

                result[i] = (byte)((high << 4) | low);
            }

            bytes = result;
            return true;
        }

        /// <summary>Parses exactly 16 hex digits, the form <see cref="FromUInt64"/> writes.</summary>
        public static bool TryParseUInt64(string text, out ulong value)
        {
            value = 0;
            if (text == null || text.Length != 16)
            {
                return false;
            }

            for (int i = 0; i < 16; i++)
            {
                int digit = DigitValue(text[i]);
                if (digit < 0)
                {
                    return false;
                }

                value = (value << 4) | (uint)digit;
            }

            return true;
        }

        private static int DigitValue(char c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        }
    }
}
