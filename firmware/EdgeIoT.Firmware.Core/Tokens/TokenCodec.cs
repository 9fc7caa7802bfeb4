using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>Reads and writes the fixed version 1 binary token layout.</summary>
    public static class TokenCodec
    {
        /// <summary>
        /// Encodes the claims into a new token buffer with an all-zero signature, which the
        /// issuer fills over bytes 0 to <see cref="TokenLayout.SignedLength"/> - 1.
        /// </summary>
        public static byte[] EncodeUnsigned(TokenClaims claims)
        {
            if (claims == null)
            {
                throw new System.ArgumentNullException(nameof(claims));
            }

            byte[] token = new byte[TokenLayout.TotalLength];
            token[TokenLayout.VersionOffset] = TokenLayout.Version1;
            token[TokenLayout.TypeOffset] = (byte)claims.Type;
            BigEndian.WriteUInt64(token, TokenLayout.KeyIdOffset, claims.KeyId);
            BigEndian.WriteUInt32(token, TokenLayout.EventIdOffset, claims.EventId);
            BigEndian.WriteUInt32(token, TokenLayout.IssuedAtOffset, claims.IssuedAtUnixSeconds);
            BigEndian.WriteUInt16(token, TokenLayout.LifetimeOffset, claims.LifetimeSeconds);
            BigEndian.WriteUInt64(token, TokenLayout.TokenIdOffset, claims.TokenId);
            BigEndian.WriteUInt32(token, TokenLayout.EntitlementIdOffset, claims.EntitlementId);
            BigEndian.WriteUInt16(token, TokenLayout.EpochOffset, claims.Epoch);
            token[TokenLayout.RoleOffset] = (byte)claims.Role;
            token[TokenLayout.ZoneOffset] = claims.Zone;
            BigEndian.WriteUInt16(token, TokenLayout.OfferIdOffset, claims.OfferId);
            BigEndian.WriteUInt32(token, TokenLayout.SpendAllowanceOffset, claims.SpendAllowanceMinor);
            BigEndian.WriteUInt32(token, TokenLayout.DelegatorIdOffset, claims.DelegatorId);

            return token;
        }

        /// <summary>
        /// Decodes the claims of a token without checking its signature. Returns
        /// <see cref="RejectReason.None"/> on success, or the reason the bytes are not a token.
        /// </summary>
        public static RejectReason TryDecode(byte[] token, out TokenClaims claims)
        {
            claims = null;
            if (token == null || token.Length == 0)
            {
                return RejectReason.Malformed;
            }

            if (token[TokenLayout.VersionOffset] != TokenLayout.Version1)
            {
                return RejectReason.UnsupportedVersion;
            }

            if (token.Length != TokenLayout.TotalLength)
            {
                return RejectReason.Malformed;
            }

            return DecodeFields(token, out claims);
        }

        /// <summary>
        /// Decodes the claims of the 110-byte token at the start of a longer credential (a
        /// token followed by a delegation certificate or a rotating code), without its signature.
        /// </summary>
        public static RejectReason TryDecodeLeading(byte[] credential, out TokenClaims claims)
        {
            claims = null;
            if (credential == null || credential.Length == 0)
            {
                return RejectReason.Malformed;
            }

            if (credential[TokenLayout.VersionOffset] != TokenLayout.Version1)
            {
                return RejectReason.UnsupportedVersion;
            }

            if (credential.Length < TokenLayout.TotalLength)
            {
                return RejectReason.Malformed;
            }

            return DecodeFields(credential, out claims);
        }

        private static RejectReason DecodeFields(byte[] token, out TokenClaims claims)
        {
            claims = null;
            byte type = token[TokenLayout.TypeOffset];
            byte role = token[TokenLayout.RoleOffset];
            ushort lifetime = BigEndian.ReadUInt16(token, TokenLayout.LifetimeOffset);
            int maxLifetime = type == (byte)TokenType.Pass || type == (byte)TokenType.Wristband
                ? TokenLayout.MaxPassLifetimeSeconds
                : TokenLayout.MaxLifetimeSeconds;
            if (type < (byte)TokenType.Session || type > (byte)TokenType.Wristband
                || role < (byte)GuestRole.Guest || role > (byte)GuestRole.Staff
                || lifetime < TokenLayout.MinLifetimeSeconds || lifetime > maxLifetime)
            {
                return RejectReason.Malformed;
            }

            TokenClaims decoded = new TokenClaims();
            decoded.Version = TokenLayout.Version1;
            decoded.Type = (TokenType)type;
            decoded.KeyId = BigEndian.ReadUInt64(token, TokenLayout.KeyIdOffset);
            decoded.EventId = BigEndian.ReadUInt32(token, TokenLayout.EventIdOffset);
            decoded.IssuedAtUnixSeconds = BigEndian.ReadUInt32(token, TokenLayout.IssuedAtOffset);
            decoded.LifetimeSeconds = lifetime;
            decoded.TokenId = BigEndian.ReadUInt64(token, TokenLayout.TokenIdOffset);
            decoded.EntitlementId = BigEndian.ReadUInt32(token, TokenLayout.EntitlementIdOffset);
            decoded.Epoch = BigEndian.ReadUInt16(token, TokenLayout.EpochOffset);
            decoded.Role = (GuestRole)role;
            decoded.Zone = token[TokenLayout.ZoneOffset];
            decoded.OfferId = BigEndian.ReadUInt16(token, TokenLayout.OfferIdOffset);
            decoded.SpendAllowanceMinor = BigEndian.ReadUInt32(token, TokenLayout.SpendAllowanceOffset);
            decoded.DelegatorId = BigEndian.ReadUInt32(token, TokenLayout.DelegatorIdOffset);
            claims = decoded;

            return RejectReason.None;
        }
    }
}
