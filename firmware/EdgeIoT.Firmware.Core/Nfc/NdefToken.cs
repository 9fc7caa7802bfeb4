using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Nfc
{
    /// <summary>
    /// NFC form of a token: an NDEF message (NFC Forum NDEF 1.0) of exactly one short record
    /// with the external type <see cref="RecordType"/> whose payload is the 110 binary token
    /// bytes, or the 117 bytes of a wristband credential (<see cref="WristbandCredential"/>).
    /// The message is 125 (132) bytes; wrapped in its NDEF TLV and terminator it takes 128 (135)
    /// of an NTAG213's 144 user bytes. The parser accepts only this exact shape, so a tag written
    /// by anything else is rejected with the field that differs.
    /// </summary>
    public static class NdefToken
    {
        /// <summary>NFC Forum external type name of the record, in the form "domain:type".</summary>
        public const string RecordType = "edgeiot.io:t";

        /// <summary>Header flags MB, ME and SR set, CF and IL clear, TNF 4 (NFC Forum external type).</summary>
        public const byte RecordHeader = 0xD4;

        /// <summary>Header, type length and payload length bytes of a short record.</summary>
        public const int RecordPrefixLength = 3;

        public const int MessageLength = RecordPrefixLength + 12 + TokenLayout.TotalLength;

        /// <summary>Type of the NDEF message TLV in NFC Forum Type 2 tag memory.</summary>
        public const byte NdefTlvType = 0x03;

        /// <summary>Terminator TLV that ends the data area of a Type 2 tag.</summary>
        public const byte TerminatorTlv = 0xFE;

        /// <summary>User memory of an NTAG213: 36 pages of 4 bytes.</summary>
        public const int Ntag213UserBytes = 144;

        private const byte TnfMask = 0x07;
        private const byte ExternalTnf = 0x04;
        private const byte MessageBeginFlag = 0x80;
        private const byte MessageEndFlag = 0x40;
        private const byte ChunkFlag = 0x20;
        private const byte ShortRecordFlag = 0x10;
        private const byte IdLengthFlag = 0x08;

        /// <summary>Message length of a wristband credential: 15 bytes of record header and type, then 117.</summary>
        public const int WristbandMessageLength = RecordPrefixLength + 12 + WristbandCredential.TotalLength;

        /// <summary>Wraps a 110-byte binary token, or a 117-byte wristband credential, in a one-record NDEF message.</summary>
        public static byte[] Encode(byte[] token)
        {
            if (token == null)
            {
                throw new System.ArgumentNullException(nameof(token));
            }

            if (!IsPayloadLength(token.Length))
            {
                throw new System.ArgumentException(
                    "A token is " + TokenLayout.TotalLength.ToString() + " bytes and a wristband credential "
                    + WristbandCredential.TotalLength.ToString() + ", not " + token.Length.ToString() + ".",
                    nameof(token));
            }

            byte[] message = new byte[RecordPrefixLength + RecordType.Length + token.Length];
            message[0] = RecordHeader;
            message[1] = (byte)RecordType.Length;
            message[2] = (byte)token.Length;
            for (int i = 0; i < RecordType.Length; i++)
            {
                message[RecordPrefixLength + i] = (byte)RecordType[i];
            }

            System.Array.Copy(token, 0, message, RecordPrefixLength + RecordType.Length, token.Length);
            return message;
        }

        /// <summary>
        /// Wraps the NDEF message of a token in the NDEF TLV and terminator TLV, as written
        /// to the data area of an NFC Forum Type 2 tag such as the NTAG213.
        /// </summary>
        public static byte[] EncodeTagData(byte[] token)
        {
            byte[] message = Encode(token);
            byte[] data = new byte[message.Length + 3];
            data[0] = NdefTlvType;
            data[1] = (byte)message.Length;
            System.Array.Copy(message, 0, data, 2, message.Length);
            data[data.Length - 1] = TerminatorTlv;
            return data;
        }

        /// <summary>
        /// Parses an NDEF message that must hold exactly one token record. Returns the token
        /// or wristband credential bytes, or null with <paramref name="error"/> naming the field that is wrong.
        /// </summary>
        public static byte[] TryParse(byte[] message, out string error)
        {
            if (message == null || message.Length == 0)
            {
                error = "NDEF message is empty";
                return null;
            }

            error = CheckHeader(message[0]);
            if (error != null)
            {
                return null;
            }

            if (message.Length < RecordPrefixLength)
            {
                error = "NDEF record is " + message.Length.ToString() + " bytes, shorter than its 3-byte header";
                return null;
            }

            if (message[1] != RecordType.Length || !TypeMatches(message))
            {
                error = "NDEF record type is not " + RecordType;
                return null;
            }

            int payloadLength = message[2];
            if (!IsPayloadLength(payloadLength))
            {
                error = "NDEF payload length is " + payloadLength.ToString() + ", expected "
                    + TokenLayout.TotalLength.ToString() + " (token) or "
                    + WristbandCredential.TotalLength.ToString() + " (wristband)";
                return null;
            }

            int expectedLength = RecordPrefixLength + RecordType.Length + payloadLength;
            if (message.Length != expectedLength)
            {
                error = "NDEF message is " + message.Length.ToString() + " bytes, expected "
                    + expectedLength.ToString() + " (truncated or trailing bytes)";
                return null;
            }

            byte[] token = new byte[payloadLength];
            System.Array.Copy(message, RecordPrefixLength + RecordType.Length, token, 0, token.Length);
            return token;
        }

        /// <summary>
        /// Finds the NDEF TLV in Type 2 tag data (skipping NULL TLVs) and parses its message.
        /// Returns null with <paramref name="error"/> set when the TLV or the message is wrong.
        /// </summary>
        public static byte[] TryParseTagData(byte[] data, out string error)
        {
            if (data == null || data.Length < 2)
            {
                error = "tag data is shorter than one TLV";
                return null;
            }

            int offset = 0;
            while (offset < data.Length && data[offset] == 0x00)
            {
                offset++;
            }

            if (offset >= data.Length - 1 || data[offset] != NdefTlvType)
            {
                error = "tag data has no NDEF message TLV (type 0x03)";
                return null;
            }

            int length = data[offset + 1];
            if (length == 0xFF || offset + 2 + length > data.Length)
            {
                error = "NDEF TLV length " + length.ToString() + " runs past the tag data";
                return null;
            }

            byte[] message = new byte[length];
            System.Array.Copy(data, offset + 2, message, 0, length);
            return TryParse(message, out error);
        }

        private static bool IsPayloadLength(int length)
        {
            return length == TokenLayout.TotalLength || length == WristbandCredential.TotalLength;
        }

        private static string CheckHeader(byte header)
        {
            if ((header & TnfMask) != ExternalTnf)
            {
                return "NDEF record TNF is " + (header & TnfMask).ToString() + ", expected 4 (external type)";
            }

            if ((header & MessageBeginFlag) == 0 || (header & MessageEndFlag) == 0)
            {
                return "NDEF record flags MB and ME must both be set: the message holds exactly one record";
            }

            if ((header & ChunkFlag) != 0)
            {
                return "NDEF record flag CF is set, but chunked records are not accepted";
            }

            if ((header & ShortRecordFlag) == 0)
            {
                return "NDEF record flag SR is clear, but a token record is a short record";
            }

            if ((header & IdLengthFlag) != 0)
            {
                return "NDEF record flag IL is set, but a token record has no id";
            }

            return null;
        }

        private static bool TypeMatches(byte[] message)
        {
            if (message.Length < RecordPrefixLength + RecordType.Length)
            {
                return false;
            }

            for (int i = 0; i < RecordType.Length; i++)
            {
                if (message[RecordPrefixLength + i] != (byte)RecordType[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
