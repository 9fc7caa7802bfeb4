namespace EdgeIoT.Firmware.Json
{
    /// <summary>
    /// A small strict JSON parser (RFC 8259) for the nanoFramework subset: objects, arrays,
    /// strings with escapes, integers, true, false and null. Fractions and exponents are
    /// rejected because every number EdgeIoT reads is a count, an amount in minor units or a
    /// duration in seconds. Errors name the byte offset and what was expected.
    /// </summary>
    public class JsonReader
    {
        /// <summary>Largest document accepted, in bytes; a policy is a few kilobytes.</summary>
        public const int MaxDocumentBytes = 65536;

        /// <summary>Deepest nesting of arrays and objects accepted.</summary>
        public const int MaxDepth = 16;

        private readonly byte[] _data;
        private int _position;
        private string _error;

        private JsonReader(byte[] data)
        {
            _data = data;
        }

        /// <summary>
        /// Parses a whole UTF-8 document. Returns null, with <paramref name="error"/> set, when the
        /// bytes are not one valid JSON value or exceed the size or depth limits.
        /// </summary>
        public static JsonValue TryParse(byte[] utf8Json, out string error)
        {
            error = null;
            if (utf8Json == null || utf8Json.Length == 0)
            {
                error = "JSON document is empty";
                return null;
            }

            if (utf8Json.Length > MaxDocumentBytes)
            {
                error = "JSON document is " + utf8Json.Length.ToString() + " bytes, more than the limit of "
                    + MaxDocumentBytes.ToString();
                return null;
            }

            JsonReader reader = new JsonReader(utf8Json);
            reader.SkipByteOrderMark();
            JsonValue root = reader.ReadValue(0);
            if (root != null)
            {
                reader.SkipWhitespace();
                if (reader._position < utf8Json.Length)
                {
                    reader.Fail("unexpected data after the JSON value");
                    root = null;
                }
            }

            error = reader._error;
            return root;
        }

        private JsonValue ReadValue(int depth)
        {
            SkipWhitespace();
            if (_position >= _data.Length)
            {
                return Fail("unexpected end of document, expected a value");
            }

            byte next = _data[_position];
            if (next == (byte)'{')
            {
                return ReadObject(depth + 1);
            }

            if (next == (byte)'[')
            {
                return ReadArray(depth + 1);
            }

            if (next == (byte)'"')
            {
                int start = _position;
                string text = ReadString();
                return text == null ? null : NewString(text, start);
            }

            if (next == (byte)'-' || (next >= (byte)'0' && next <= (byte)'9'))
            {
                return ReadInteger();
            }

            return ReadLiteral();
        }

        private JsonValue ReadObject(int depth)
        {
            if (depth > MaxDepth)
            {
                return Fail("nesting is deeper than " + MaxDepth.ToString() + " levels");
            }

            JsonValue result = new JsonValue(JsonKind.Object, _position);
            _position++;
            SkipWhitespace();
            if (TryConsume((byte)'}'))
            {
                return result;
            }

            while (true)
            {
                SkipWhitespace();
                if (_position >= _data.Length || _data[_position] != (byte)'"')
                {
                    return Fail("expected a member name in double quotes");
                }

                int namePosition = _position;
                string name = ReadString();
                if (name == null)
                {
                    return null;
                }

                if (result.HasName(name))
                {
                    _position = namePosition;
                    return Fail("member \"" + name + "\" appears twice");
                }

                SkipWhitespace();
                if (!TryConsume((byte)':'))
                {
                    return Fail("expected ':' after member name \"" + name + "\"");
                }

                JsonValue value = ReadValue(depth);
                if (value == null)
                {
                    return null;
                }

                result.AddMember(name, value);
                SkipWhitespace();
                if (TryConsume((byte)'}'))
                {
                    return result;
                }

                if (!TryConsume((byte)','))
                {
                    return Fail("expected ',' or '}' in object");
                }
            }
        }

        private JsonValue ReadArray(int depth)
        {
            if (depth > MaxDepth)
            {
                return Fail("nesting is deeper than " + MaxDepth.ToString() + " levels");
            }

            JsonValue result = new JsonValue(JsonKind.Array, _position);
            _position++;
            SkipWhitespace();
            if (TryConsume((byte)']'))
            {
                return result;
            }

            while (true)
            {
                JsonValue item = ReadValue(depth);
                if (item == null)
                {
                    return null;
                }

                result.AddItem(item);
                SkipWhitespace();
                if (TryConsume((byte)']'))
                {
                    return result;
                }

                if (!TryConsume((byte)','))
                {
                    return Fail("expected ',' or ']' in array");
                }
            }
        }

        private JsonValue ReadInteger()
        {
            int start = _position;
            bool negative = TryConsume((byte)'-');
            int firstDigit = _position;
            ulong magnitude = 0;
            while (_position < _data.Length && _data[_position] >= (byte)'0' && _data[_position] <= (byte)'9')
            {
                ulong digit = (ulong)(_data[_position] - (byte)'0');
                if (magnitude > (ulong.MaxValue - digit) / 10)
                {
                    _position = start;
                    return Fail("integer is out of range");
                }

                magnitude = (magnitude * 10) + digit;
                _position++;
            }

            int digits = _position - firstDigit;
            if (digits == 0)
            {
                return Fail("expected a digit");
            }

            if (digits > 1 && _data[firstDigit] == (byte)'0')
            {
                _position = start;
                return Fail("integer has a leading zero");
            }

            if (_position < _data.Length
                && (_data[_position] == (byte)'.' || _data[_position] == (byte)'e' || _data[_position] == (byte)'E'))
            {
                _position = start;
                return Fail("number has a fraction or exponent; only integers are supported");
            }

            ulong limit = negative ? 9223372036854775808UL : 9223372036854775807UL;
            if (magnitude > limit)
            {
                _position = start;
                return Fail("integer is out of range");
            }

            JsonValue value = new JsonValue(JsonKind.Integer, start);
            value.IntegerValue = negative ? (long)(0UL - magnitude) : (long)magnitude;
            return value;
        }

        private JsonValue ReadLiteral()
        {
            int start = _position;
            if (TryConsumeWord("true"))
            {
                JsonValue value = new JsonValue(JsonKind.Boolean, start);
                value.BooleanValue = true;
                return value;
            }

            if (TryConsumeWord("false"))
            {
                return new JsonValue(JsonKind.Boolean, start);
            }

            if (TryConsumeWord("null"))
            {
                return new JsonValue(JsonKind.Null, start);
            }

            return Fail("unexpected character, expected a value");
        }

        private string ReadString()
        {
            _position++;
            char[] buffer = new char[16];
            int length = 0;
            while (true)
            {
                if (_position >= _data.Length)
                {
                    Fail("string is not terminated");
                    return null;
                }

                byte current = _data[_position];
                if (current == (byte)'"')
                {
                    _position++;
                    return new string(buffer, 0, length);
                }

                if (current < 0x20)
                {
                    Fail("control character in string must be escaped");
                    return null;
                }

                int codePoint = current == (byte)'\\' ? ReadEscape() : ReadUtf8CodePoint();
                if (codePoint < 0)
                {
                    return null;
                }

                buffer = Append(buffer, length, codePoint, out length);
            }
        }

        private int ReadEscape()
        {
            if (_position + 1 >= _data.Length)
            {
                Fail("string is not terminated");
                return -1;
            }

            byte kind = _data[_position + 1];
            _position += 2;
            switch (kind)
            {
                case (byte)'"': return '"';
                case (byte)'\\': return '\\';
                case (byte)'/': return '/';
                case (byte)'b': return '\b';
                case (byte)'f': return '\f';
                case (byte)'n': return '\n';
                case (byte)'r': return '\r';
                case (byte)'t': return '\t';
                case (byte)'u': return ReadUnicodeEscape();
                default:
                    _position -= 2;
                    Fail("invalid escape sequence in string");
                    return -1;
            }
        }

        private int ReadUnicodeEscape()
        {
            int high = ReadHex4();
            if (high < 0 || high < 0xD800 || high > 0xDFFF)
            {
                return high;
            }

            // A surrogate pair arrives as two escapes; a lone surrogate is not valid text.
            if (high <= 0xDBFF && _position + 1 < _data.Length
                && _data[_position] == (byte)'\\' && _data[_position + 1] == (byte)'u')
            {
                _position += 2;
                int low = ReadHex4();
                if (low >= 0xDC00 && low <= 0xDFFF)
                {
                    return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                }
            }

            Fail("string contains an unpaired surrogate escape");
            return -1;
        }

        private int ReadHex4()
        {
            if (_position + 4 > _data.Length)
            {
                Fail("\\u escape needs four hex digits");
                return -1;
            }

            int value = 0;
            for (int i = 0; i < 4; i++)
            {
                int digit = HexDigitValue(_data[_position + i]);
                if (digit < 0)
                {
                    Fail("\\u escape needs four hex digits");
                    return -1;
                }

                value = (value << 4) | digit;
            }

            _position += 4;
            return value;
        }

        private int ReadUtf8CodePoint()
        {
            byte first = _data[_position];
            if (first < 0x80)
            {
                _position++;
                return first;
            }

            int extra;
            int codePoint;
            int minimum;
            if ((first & 0xE0) == 0xC0)
            {
                extra = 1;
                codePoint = first & 0x1F;
                minimum = 0x80;
            }
            else if ((first & 0xF0) == 0xE0)
            {
                extra = 2;
                codePoint = first & 0x0F;
                minimum = 0x800;
            }
            else if ((first & 0xF8) == 0xF0)
            {
                extra = 3;
                codePoint = first & 0x07;
                minimum = 0x10000;
            }
            else
            {
                Fail("invalid UTF-8 byte");
                return -1;
            }

            if (_position + extra >= _data.Length)
            {
                Fail("truncated UTF-8 sequence");
                return -1;
            }

            for (int i = 1; i <= extra; i++)
            {
                byte next = _data[_position + i];
                if ((next & 0xC0) != 0x80)
                {
                    Fail("invalid UTF-8 continuation byte");
                    return -1;
                }

                codePoint = (codePoint << 6) | (next & 0x3F);
            }

            // Overlong forms, surrogates and values past U+10FFFF are invalid UTF-8 (RFC 3629).
            if (codePoint < minimum || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                Fail("invalid UTF-8 sequence");
                return -1;
            }

            _position += extra + 1;
            return codePoint;
        }

        private static char[] Append(char[] buffer, int length, int codePoint, out int newLength)
        {
            if (length + 2 > buffer.Length)
            {
                char[] larger = new char[buffer.Length * 2];
                System.Array.Copy(buffer, larger, length);
                buffer = larger;
            }

            if (codePoint >= 0x10000)
            {
                int offset = codePoint - 0x10000;
                buffer[length++] = (char)(0xD800 + (offset >> 10));
                buffer[length++] = (char)(0xDC00 + (offset & 0x3FF));
            }
            else
            {
                buffer[length++] = (char)codePoint;
            }

            newLength = length;
            return buffer;
        }

        private static int HexDigitValue(byte c)
        {
            if (c >= (byte)'0' && c <= (byte)'9')
            {
                return c - (byte)'0';
            }

            if (c >= (byte)'a' && c <= (byte)'f')
            {
                return c - (byte)'a' + 10;
            }

            if (c >= (byte)'A' && c <= (byte)'F')
            {
                return c - (byte)'A' + 10;
            }

            return -1;
        }

        private static JsonValue NewString(string text, int position)
        {
            JsonValue value = new JsonValue(JsonKind.String, position);
            value.StringValue = text;
            return value;
        }

        private bool TryConsumeWord(string word)
        {
            if (_position + word.Length > _data.Length)
            {
                return false;
            }

            for (int i = 0; i < word.Length; i++)
            {
                if (_data[_position + i] != (byte)word[i])
                {
                    return false;
                }
            }

            _position += word.Length;
            return true;
        }

        private bool TryConsume(byte expected)
        {
            if (_position < _data.Length && _data[_position] == expected)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void SkipWhitespace()
        {
            while (_position < _data.Length)
            {
                byte c = _data[_position];
                if (c != (byte)' ' && c != (byte)'\t' && c != (byte)'\n' && c != (byte)'\r')
                {
                    return;
                }

                _position++;
            }
        }

        private void SkipByteOrderMark()
        {
            if (_data.Length >= 3 && _data[0] == 0xEF && _data[1] == 0xBB && _data[2] == 0xBF)
            {
                _position = 3;
            }
        }

        private JsonValue Fail(string message)
        {
            if (_error == null)
            {
                _error = "invalid JSON at byte " + _position.ToString() + ": " + message;
            }

            return null;
        }
    }
}
