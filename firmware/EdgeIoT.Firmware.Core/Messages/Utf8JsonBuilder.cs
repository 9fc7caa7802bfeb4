namespace EdgeIoT.Firmware.Messages
{
    /// <summary>
    /// Writes one flat JSON object as UTF-8 bytes, escaping strings per RFC 8259. nanoFramework
    /// has no System.Text.Encoding or StringBuilder, so it grows its own byte buffer.
    /// </summary>
    public class Utf8JsonBuilder
    {
        private const string HexDigits = "0123456789abcdef";

        private byte[] _buffer = new byte[256];
        private int _length;
        private bool _needsComma;

        public Utf8JsonBuilder()
        {
            Append((byte)'{');
        }

        public void WriteString(string name, string value)
        {
            if (value == null)
            {
                return;
            }

            WriteName(name);
            WriteQuoted(value);
        }

        public void WriteNumber(string name, long value)
        {
            WriteName(name);
            WriteAscii(value.ToString());
        }

        public void WriteBoolean(string name, bool value)
        {
            WriteName(name);
            WriteAscii(value ? "true" : "false");
        }

        /// <summary>Closes the object and returns its bytes; the builder must not be used afterwards.</summary>
        public byte[] ToArray()
        {
            Append((byte)'}');
            byte[] result = new byte[_length];
            System.Array.Copy(_buffer, result, _length);
            return result;
        }

        private void WriteName(string name)
        {
            if (_needsComma)
            {
                Append((byte)',');
            }

            _needsComma = true;
            WriteQuoted(name);
            Append((byte)':');
        }

        private void WriteQuoted(string text)
        {
            Append((byte)'"');
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
                {
                    int codePoint = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    AppendUtf8(codePoint);
                    i++;
                }
                else if (c >= 0xD800 && c <= 0xDFFF)
                {
                    // A lone surrogate is not valid Unicode; write U+FFFD as encoders do.
                    AppendUtf8(0xFFFD);
                }
                else
                {
                    AppendEscaped(c);
                }
            }

            Append((byte)'"');
        }

        private void AppendEscaped(char c)
        {
            switch (c)
            {
                case '"': WriteAscii("\\\""); return;
                case '\\': WriteAscii("\\\\"); return;
                case '\n': WriteAscii("\\n"); return;
                case '\r': WriteAscii("\\r"); return;
                case '\t': WriteAscii("\\t"); return;
                case '\b': WriteAscii("\\b"); return;
                case '\f': WriteAscii("\\f"); return;
            }

            if (c < 0x20)
            {
                WriteAscii("\\u00");
                Append((byte)HexDigits[c >> 4]);
                Append((byte)HexDigits[c & 0x0F]);
                return;
            }

            AppendUtf8(c);
        }

        private void AppendUtf8(int codePoint)
        {
            if (codePoint < 0x80)
            {
                Append((byte)codePoint);
            }
            else if (codePoint < 0x800)
            {
                Append((byte)(0xC0 | (codePoint >> 6)));
                Append((byte)(0x80 | (codePoint & 0x3F)));
            }
            else if (codePoint < 0x10000)
            {
                Append((byte)(0xE0 | (codePoint >> 12)));
                Append((byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                Append((byte)(0x80 | (codePoint & 0x3F)));
            }
            else
            {
                Append((byte)(0xF0 | (codePoint >> 18)));
                Append((byte)(0x80 | ((codePoint >> 12) & 0x3F)));
                Append((byte)(0x80 | ((codePoint >> 6) & 0x3F)));
                Append((byte)(0x80 | (codePoint & 0x3F)));
            }
        }

        private void WriteAscii(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                Append((byte)text[i]);
            }
        }

        private void Append(byte value)
        {
            if (_length == _buffer.Length)
            {
                byte[] larger = new byte[_buffer.Length * 2];
                System.Array.Copy(_buffer, larger, _length);
                _buffer = larger;
            }

            _buffer[_length++] = value;
        }
    }
}
