namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>
    /// A wristband credential: a type 4 token signed by the event key, followed by the 7-byte
    /// UID of the NFC chip it was written to (117 bytes). The signature covers token bytes 0 to
    /// 45 and then the UID, so the UID is a signed claim although it sits after the signature,
    /// and the token layout stays the same for every reader. A copy of the credential on another
    /// chip therefore fails the UID comparison, and changing the UID breaks the signature.
    /// </summary>
    public static class WristbandCredential
    {
        /// <summary>UID length of an NTAG21x chip (ISO/IEC 14443-3 double-size UID).</summary>
        public const int UidLength = 7;

        public const int UidOffset = TokenLayout.TotalLength;

        public const int TotalLength = TokenLayout.TotalLength + UidLength;

        /// <summary>Length of the message the event key signs: token bytes 0 to 45, then the UID.</summary>
        public const int SignedMessageLength = TokenLayout.SignedLength + UidLength;

        /// <summary>
        /// Seconds the seen-set keeps an admitted wristband, so a second tap right after an
        /// admit is already_admitted. A later re-entry goes to the policy and the online check.
        /// </summary>
        public const int RepeatWindowSeconds = 30;

        /// <summary>Appends <paramref name="chipUid"/> to a 110-byte type 4 token, signed or not.</summary>
        public static byte[] Combine(byte[] token, byte[] chipUid)
        {
            if (token == null || token.Length != TokenLayout.TotalLength)
            {
                throw new System.ArgumentException("A wristband token is 110 bytes.", nameof(token));
            }

            if (chipUid == null || chipUid.Length != UidLength)
            {
                throw new System.ArgumentException("A wristband chip UID is 7 bytes.", nameof(chipUid));
            }

            byte[] credential = new byte[TotalLength];
            System.Array.Copy(token, credential, TokenLayout.TotalLength);
            System.Array.Copy(chipUid, 0, credential, UidOffset, UidLength);
            return credential;
        }

        /// <summary>Builds the signed message of a credential: token bytes 0 to 45 followed by the UID.</summary>
        public static byte[] SignedMessage(byte[] credential)
        {
            if (credential == null || credential.Length != TotalLength)
            {
                throw new System.ArgumentException("A wristband credential is 117 bytes.", nameof(credential));
            }

            byte[] message = new byte[SignedMessageLength];
            System.Array.Copy(credential, message, TokenLayout.SignedLength);
            System.Array.Copy(credential, UidOffset, message, TokenLayout.SignedLength, UidLength);
            return message;
        }

        /// <summary>
        /// Returns whether <paramref name="chipUid"/>, as the reader got it from anticollision, is
        /// the UID the credential was signed for. A missing UID (a credential that did not come
        /// from a chip, such as one typed or scanned as QR text) never matches.
        /// </summary>
        public static bool UidMatches(byte[] credential, byte[] chipUid)
        {
            if (credential == null || credential.Length != TotalLength || chipUid == null || chipUid.Length != UidLength)
            {
                return false;
            }

            for (int i = 0; i < UidLength; i++)
            {
                if (credential[UidOffset + i] != chipUid[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
