namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>
    /// Claims of a session token. Times are Unix seconds and amounts are minor currency
    /// units (cents), because nanoFramework has no DateTimeOffset and no decimal.
    /// </summary>
    public class TokenClaims
    {
        public byte Version { get; set; }

        public TokenType Type { get; set; }

        /// <summary>First 8 bytes of SHA-256 over the signing public key, big-endian.</summary>
        public ulong KeyId { get; set; }

        public uint EventId { get; set; }

        public uint IssuedAtUnixSeconds { get; set; }

        public ushort LifetimeSeconds { get; set; }

        /// <summary>Random token id (jti) used by the replay seen-set.</summary>
        public ulong TokenId { get; set; }

        public uint EntitlementId { get; set; }

        /// <summary>Revocation epoch of the entitlement; a token with an older epoch is revoked.</summary>
        public ushort Epoch { get; set; }

        public GuestRole Role { get; set; }

        /// <summary>Zone the token admits to; 0 admits to every zone.</summary>
        public byte Zone { get; set; }

        public ushort OfferId { get; set; }

        public uint SpendAllowanceMinor { get; set; }

        /// <summary>Entitlement id of the creator who delegated this credential, or 0.</summary>
        public uint DelegatorId { get; set; }

        /// <summary>RFC 6238 time step of the rotating code shown with a pass, or 0 without one.</summary>
        public uint RotatingStep { get; set; }

        public uint ExpiresAtUnixSeconds
        {
            get { return IssuedAtUnixSeconds + LifetimeSeconds; }
        }
    }
}
