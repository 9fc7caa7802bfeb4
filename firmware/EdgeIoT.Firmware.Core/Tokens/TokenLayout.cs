namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>
    /// Byte offsets of the version 1 session token. All integers are big-endian; the
    /// signature is Ed25519 (RFC 8032) over bytes 0 to <see cref="SignedLength"/> - 1.
    /// docs/tokens.md describes each field.
    /// </summary>
    public static class TokenLayout
    {
        public const byte Version1 = 1;

        public const int VersionOffset = 0;
        public const int TypeOffset = 1;
        public const int KeyIdOffset = 2;
        public const int EventIdOffset = 10;
        public const int IssuedAtOffset = 14;
        public const int LifetimeOffset = 18;
        public const int TokenIdOffset = 20;
        public const int EntitlementIdOffset = 28;
        public const int EpochOffset = 32;
        public const int RoleOffset = 34;
        public const int ZoneOffset = 35;
        public const int OfferIdOffset = 36;
        public const int SpendAllowanceOffset = 38;
        public const int DelegatorIdOffset = 42;
        public const int SignatureOffset = 46;

        public const int KeyIdLength = 8;
        public const int TokenIdLength = 8;
        public const int SignatureLength = 64;
        public const int SignedLength = SignatureOffset;
        public const int TotalLength = SignatureOffset + SignatureLength;

        /// <summary>Shortest lifetime the issuer may set, in seconds.</summary>
        public const int MinLifetimeSeconds = 30;

        /// <summary>Longest lifetime the issuer may set, in seconds.</summary>
        public const int MaxLifetimeSeconds = 300;

        /// <summary>Longest lifetime of a pass (type 3) or wristband (type 4), the largest 16-bit value: about 18 h.</summary>
        public const int MaxPassLifetimeSeconds = 65535;
    }
}
