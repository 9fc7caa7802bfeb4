using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>
    /// A creator's delegation to one assistant, signed by the event key: who the assistant
    /// is, for which creator they act, and the role, zone, spend limit and time window they
    /// may never exceed. Layout (big-endian), 99 bytes: version (1, = 1), kid of the event
    /// key (8), event id (4), assistant entitlement id (4), creator entitlement id (4),
    /// role (1), zone (1, 0 = every zone), spend limit in minor units (4), not before (4),
    /// not after (4, at most the event end), Ed25519 signature over bytes 0 to 34 (64).
    /// </summary>
    public class DelegationCertificate
    {
        public const byte Version1 = 1;
        public const int VersionOffset = 0;
        public const int KeyIdOffset = 1;
        public const int EventIdOffset = 9;
        public const int AssistantIdOffset = 13;
        public const int CreatorIdOffset = 17;
        public const int RoleOffset = 21;
        public const int ZoneOffset = 22;
        public const int SpendLimitOffset = 23;
        public const int NotBeforeOffset = 27;
        public const int NotAfterOffset = 31;
        public const int SignatureOffset = 35;
        public const int SignedLength = SignatureOffset;
        public const int TotalLength = SignatureOffset + TokenLayout.SignatureLength;

        /// <summary>Bytes of a certificate reference in a credential: the first 4 bytes of SHA-256 over the certificate.</summary>
        public const int ReferenceLength = 4;

        /// <summary>Kid of the event key that signed the certificate.</summary>
        public ulong KeyId { get; set; }

        public uint EventId { get; set; }

        public uint AssistantId { get; set; }

        public uint CreatorId { get; set; }

        /// <summary>The one role tokens under this delegation may carry.</summary>
        public GuestRole Role { get; set; }

        /// <summary>Zone tokens under this delegation may admit to; 0 allows every zone.</summary>
        public byte Zone { get; set; }

        /// <summary>Highest spend allowance, in minor units, a token under it may carry.</summary>
        public uint SpendLimitMinor { get; set; }

        public uint NotBeforeUnixSeconds { get; set; }

        /// <summary>Last second (Unix) a token under this delegation may be valid; at most the event end.</summary>
        public uint NotAfterUnixSeconds { get; set; }

        /// <summary>The certificate bytes it was decoded from, signature included.</summary>
        public byte[] Encoded { get; set; }

        /// <summary>
        /// First 4 bytes of SHA-256 over <see cref="Encoded"/>, big-endian: what a credential
        /// carries in place of the whole certificate. Set by <see cref="TryDecode"/>.
        /// </summary>
        public uint Reference { get; set; }

        /// <summary>Computes the reference of a 99-byte encoded certificate.</summary>
        public static uint ComputeReference(byte[] encoded)
        {
            if (encoded == null || encoded.Length != TotalLength)
            {
                throw new System.ArgumentException("A delegation certificate is 99 bytes.", nameof(encoded));
            }

            return BigEndian.ReadUInt32(EdgeIoT.Firmware.Crypto.Sha256.Hash(encoded), 0);
        }

        /// <summary>Serializes the certificate with an all-zero signature for the issuer to fill.</summary>
        public byte[] EncodeUnsigned()
        {
            byte[] buffer = new byte[TotalLength];
            buffer[VersionOffset] = Version1;
            BigEndian.WriteUInt64(buffer, KeyIdOffset, KeyId);
            BigEndian.WriteUInt32(buffer, EventIdOffset, EventId);
            BigEndian.WriteUInt32(buffer, AssistantIdOffset, AssistantId);
            BigEndian.WriteUInt32(buffer, CreatorIdOffset, CreatorId);
            buffer[RoleOffset] = (byte)Role;
            buffer[ZoneOffset] = Zone;
            BigEndian.WriteUInt32(buffer, SpendLimitOffset, SpendLimitMinor);
            BigEndian.WriteUInt32(buffer, NotBeforeOffset, NotBeforeUnixSeconds);
            BigEndian.WriteUInt32(buffer, NotAfterOffset, NotAfterUnixSeconds);
            return buffer;
        }

        /// <summary>
        /// Decodes a certificate from <paramref name="length"/> bytes at <paramref name="offset"/>
        /// without checking its signature. Returns null when the bytes are not a certificate.
        /// </summary>
        public static DelegationCertificate TryDecode(byte[] buffer, int offset, int length, out RejectReason reason)
        {
            reason = RejectReason.Malformed;
            if (buffer == null || offset < 0 || length != TotalLength || offset + length > buffer.Length)
            {
                return null;
            }

            if (buffer[offset + VersionOffset] != Version1)
            {
                reason = RejectReason.UnsupportedVersion;
                return null;
            }

            byte role = buffer[offset + RoleOffset];
            if (role < (byte)GuestRole.Guest || role > (byte)GuestRole.Staff)
            {
                return null;
            }

            byte[] encoded = new byte[TotalLength];
            System.Array.Copy(buffer, offset, encoded, 0, TotalLength);
            DelegationCertificate certificate = new DelegationCertificate();
            certificate.KeyId = BigEndian.ReadUInt64(encoded, KeyIdOffset);
            certificate.EventId = BigEndian.ReadUInt32(encoded, EventIdOffset);
            certificate.AssistantId = BigEndian.ReadUInt32(encoded, AssistantIdOffset);
            certificate.CreatorId = BigEndian.ReadUInt32(encoded, CreatorIdOffset);
            certificate.Role = (GuestRole)role;
            certificate.Zone = encoded[ZoneOffset];
            certificate.SpendLimitMinor = BigEndian.ReadUInt32(encoded, SpendLimitOffset);
            certificate.NotBeforeUnixSeconds = BigEndian.ReadUInt32(encoded, NotBeforeOffset);
            certificate.NotAfterUnixSeconds = BigEndian.ReadUInt32(encoded, NotAfterOffset);
            certificate.Encoded = encoded;
            certificate.Reference = ComputeReference(encoded);
            reason = RejectReason.None;
            return certificate;
        }
    }
}
