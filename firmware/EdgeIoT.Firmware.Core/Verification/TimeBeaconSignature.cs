using EdgeIoT.Firmware.Crypto;
using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Verification
{
    /// <summary>
    /// The hub signs each time beacon with its current edge key, so a device corrects its clock
    /// only from the hub. Signed bytes (big-endian): the ASCII text "EITIME02" (8), event id (4),
    /// clock epoch (4), hub time in Unix milliseconds (8). The hub raises the epoch each time its
    /// clock goes backwards, so a device can accept a deliberate step back (higher epoch) and
    /// still reject a replayed old beacon (same epoch, older time). The beacon carries the key
    /// id and the signature as hex.
    /// </summary>
    public static class TimeBeaconSignature
    {
        public const int MessageLength = 24;

        private static readonly byte[] Prefix = new byte[] { 0x45, 0x49, 0x54, 0x49, 0x4D, 0x45, 0x30, 0x32 };

        /// <summary>Returns the 24 bytes the hub signs for a beacon.</summary>
        public static byte[] Message(uint eventId, uint epoch, long hubTimeMs)
        {
            byte[] message = new byte[MessageLength];
            System.Array.Copy(Prefix, message, Prefix.Length);
            BigEndian.WriteUInt32(message, 8, eventId);
            BigEndian.WriteUInt32(message, 12, epoch);
            BigEndian.WriteUInt64(message, 16, (ulong)hubTimeMs);
            return message;
        }

        /// <summary>
        /// Returns null when the beacon is signed by an unrevoked key of <paramref name="keys"/> whose
        /// window covers the beacon time, otherwise why it is rejected. Unsigned beacons are rejected.
        /// </summary>
        public static string Check(
            ISignatureVerifier verifier, KeyList keys, uint eventId, uint epoch, long hubTimeMs, string kidHex,
            string signatureHex)
        {
            if (verifier == null)
            {
                throw new System.ArgumentNullException(nameof(verifier));
            }

            if (kidHex == null || signatureHex == null)
            {
                return "time beacon is unsigned";
            }

            ulong keyId;
            byte[] signature;
            if (!Hex.TryParseUInt64(kidHex, out keyId) || !Hex.TryDecode(signatureHex, out signature)
                || signature.Length != TokenLayout.SignatureLength)
            {
                return "time beacon kid or signature is not valid hex of the right length";
            }

            if (keys == null)
            {
                return "time beacon arrived before a key list";
            }

            KeyEntry key = keys.Find(keyId);
            if (key == null || key.Revoked)
            {
                return "time beacon key " + kidHex + " is unknown or revoked";
            }

            long seconds = hubTimeMs / 1000;
            if (seconds < key.NotBeforeUnixSeconds || seconds > key.NotAfterUnixSeconds)
            {
                return "time beacon time is outside the signing window of key " + kidHex;
            }

            byte[] message = Message(eventId, epoch, hubTimeMs);
            return verifier.Verify(key.PublicKey, message, message.Length, signature, 0)
                ? null
                : "time beacon signature does not verify";
        }
    }
}
