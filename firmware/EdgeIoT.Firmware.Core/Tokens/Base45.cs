namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>
    /// Base45 (RFC 9285): two bytes become three characters from the QR alphanumeric set,
    /// so a token fits the denser alphanumeric QR mode.
    /// </summary>
    public static class Base45
    {
        public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

        // Value of each ASCII character in the alphabet, -1 for the others. Every scan decodes
        // about 170 characters twice (hygiene check, then decode), so a table beats a switch.
        private static readonly sbyte[] Values = BuildValues();

        public static string Encode(byte[] data)
        {
            if (data == null)
            {
                throw new System.ArgumentNullException(nameof(data));
            }

            char[] output = new char[((data.Length / 2) * 3) + ((data.Length % 2) * 2)];
            int position = 0;
            for (int i = 0; i + 1 < data.Length; i += 2)
            {
                int value = (data[i] * 256) + data[i + 1];
                output[position++] = Alphabet[value % 45];
                output[position++] = Alphabet[(value / 45) % 45];
                output[position++] = Alphabet[value / 2025];
            }

            if (data.Length % 2 == 1)
            {
                int value = data[data.Length - 1];
                output[position++] = Alphabet[value % 45];
                output[position] = Alphabet[value / 45];
            }

            return new string(output);
        }

        /// <summary>
        /// Decodes Base45 text. Returns null when the length is impossible (length mod 3 = 1),
        /// a character is outside the alphabet, or a group encodes a value above its range.
        /// </summary>
        public static byte[] TryDecode(string text, int start, int length)
        {
            if (text == null || start < 0 || length < 0 || start + length > text.Length || length % 3 == 1)
            {
                return null;
            }

            byte[] output = new byte[((length / 3) * 2) + ((length % 3) / 2)];
            int position = 0;
            int end = start + length;
            int i = start;
            for (; i + 2 < end; i += 3)
            {
                int c = ValueOf(text[i]);
                int d = ValueOf(text[i + 1]);
                int e = ValueOf(text[i + 2]);
                if (c < 0 || d < 0 || e < 0)
                {
                    return null;
                }

                int value = c + (d * 45) + (e * 2025);
                if (value > 0xFFFF)
                {
                    return null;
                }

                output[position++] = (byte)(value >> 8);
                output[position++] = (byte)value;
            }

            if (i < end)
            {
                int c = ValueOf(text[i]);
                int d = ValueOf(text[i + 1]);
                if (c < 0 || d < 0 || c + (d * 45) > 0xFF)
                {
                    return null;
                }

                output[position] = (byte)(c + (d * 45));
            }

            return output;
        }

        public static bool IsAlphabetChar(char c)
        {
            return ValueOf(c) >= 0;
        }

        private static int ValueOf(char c)
        {
            return c < Values.Length ? Values[c] : -1;
        }

        private static sbyte[] BuildValues()
        {
            sbyte[] values = new sbyte[128];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = -1;
            }

            for (int i = 0; i < Alphabet.Length; i++)
            {
                values[Alphabet[i]] = (sbyte)i;
            }

            return values;
        }
    }
}
