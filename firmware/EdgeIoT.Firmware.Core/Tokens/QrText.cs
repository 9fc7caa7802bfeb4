using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>
    /// Text form of a token for QR codes: the prefix "EI1:" (scheme and token version), then
    /// Base45. Scanner output is cleaned first: AIM symbology identifiers such as "]Q1", ECI
    /// escapes such as "\000026" and trailing CR/LF are removed; anything else outside the
    /// QR alphanumeric alphabet (control characters, lower case from a wrong keyboard layout)
    /// means the scanner is misconfigured, not that the ticket is bad.
    /// </summary>
    public static class QrText
    {
        public const string Prefix = "EI1:";

        /// <summary>Longest scanner output accepted, well above a v1 token's 169 characters.</summary>
        public const int MaxScanLength = 512;

        public static string Encode(byte[] token)
        {
            return Prefix + Base45.Encode(token);
        }

        /// <summary>
        /// Cleans scanner output and decodes it to token bytes. Returns
        /// <see cref="RejectReason.None"/> and the bytes, or the reason the text was rejected.
        /// </summary>
        public static RejectReason TryDecode(string scanned, out byte[] token)
        {
            token = null;
            if (scanned == null || scanned.Length == 0)
            {
                return RejectReason.Malformed;
            }

            if (scanned.Length > MaxScanLength)
            {
                return RejectReason.ScannerMisconfigured;
            }

            int start = 0;
            int end = scanned.Length;
            while (end > start && (scanned[end - 1] == '\r' || scanned[end - 1] == '\n'))
            {
                end--;
            }

            start = SkipAimIdentifier(scanned, start, end);
            start = SkipEciEscape(scanned, start, end);

            for (int i = start; i < end; i++)
            {
                if (!Base45.IsAlphabetChar(scanned[i]))
                {
                    return RejectReason.ScannerMisconfigured;
                }
            }

            int length = end - start;
            if (length < Prefix.Length || !StartsWithPrefix(scanned, start))
            {
                bool otherVersion = length >= Prefix.Length
                    && scanned[start] == 'E' && scanned[start + 1] == 'I' && scanned[start + 3] == ':';
                return otherVersion ? RejectReason.UnsupportedVersion : RejectReason.Malformed;
            }

            token = Base45.TryDecode(scanned, start + Prefix.Length, length - Prefix.Length);
            return token == null ? RejectReason.Malformed : RejectReason.None;
        }

        private static bool StartsWithPrefix(string text, int start)
        {
            for (int i = 0; i < Prefix.Length; i++)
            {
                if (text[start + i] != Prefix[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static int SkipAimIdentifier(string text, int start, int end)
        {
            // AIM symbology identifier: ']' then a code letter and a modifier digit (ISO/IEC 15424).
            if (end - start >= 3 && text[start] == ']')
            {
                return start + 3;
            }

            return start;
        }

        private static int SkipEciEscape(string text, int start, int end)
        {
            // ECI escape as transmitted by scanners: a backslash and six digits, e.g. \000026 (UTF-8).
            if (end - start >= 7 && text[start] == '\\')
            {
                for (int i = start + 1; i < start + 7; i++)
                {
                    if (text[i] < '0' || text[i] > '9')
                    {
                        return start;
                    }
                }

                return start + 7;
            }

            return start;
        }
    }
}
