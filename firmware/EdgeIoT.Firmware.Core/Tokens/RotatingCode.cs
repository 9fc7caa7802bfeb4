using EdgeIoT.Firmware.Crypto;

namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>
    /// The rotating suffix a phone appends to a signed pass: the RFC 6238 time step (4 bytes)
    /// and the 8-digit code of that step (4 bytes), both big-endian. The per-pass secret is
    /// HMAC-SHA-256 of the pass's signed bytes under the event's rotating-code key, so the
    /// hub and every gate derive it and the phone receives it once, with the pass.
    /// </summary>
    public static class RotatingCode
    {
        /// <summary>Seconds one code is shown before the next one replaces it.</summary>
        public const int StepSeconds = 15;

        public const int Digits = 8;

        /// <summary>Bytes after the pass (and after an embedded delegation certificate).</summary>
        public const int SuffixLength = 8;

        /// <summary>
        /// Steps before the gate's current step that are still accepted, so a code shown at
        /// the end of its step survives the walk to the scanner. A code is rejected as
        /// rotating_code_expired at most (1 + this) × 15 s after it first appeared.
        /// </summary>
        public const int AcceptedPastSteps = 1;

        /// <summary>Steps after the gate's current step accepted, for a phone clock that runs ahead.</summary>
        public const int AcceptedFutureSteps = 1;

        /// <summary>Length of a rotating-code key, the event secret shared by hub and gates.</summary>
        public const int KeyLength = 32;

        /// <summary>Derives the secret of one pass from the event's rotating-code key.</summary>
        public static byte[] DeriveSecret(byte[] rotatingCodeKey, byte[] pass)
        {
            if (rotatingCodeKey == null)
            {
                throw new System.ArgumentNullException(nameof(rotatingCodeKey));
            }

            if (pass == null || pass.Length < TokenLayout.SignedLength)
            {
                throw new System.ArgumentException("A pass has at least 46 signed bytes.", nameof(pass));
            }

            byte[] signedPart = new byte[TokenLayout.SignedLength];
            System.Array.Copy(pass, signedPart, signedPart.Length);
            return HmacSha256.Compute(rotatingCodeKey, signedPart);
        }

        /// <summary>
        /// Appends the step and code for <paramref name="unixSeconds"/> to a pass (optionally
        /// followed by a delegation certificate). The phone app calls this every step.
        /// </summary>
        public static byte[] Append(byte[] passBytes, byte[] secret, ulong unixSeconds)
        {
            if (passBytes == null)
            {
                throw new System.ArgumentNullException(nameof(passBytes));
            }

            ulong step = Totp.StepAt(unixSeconds, StepSeconds);
            byte[] output = new byte[passBytes.Length + SuffixLength];
            System.Array.Copy(passBytes, output, passBytes.Length);
            BigEndian.WriteUInt32(output, passBytes.Length, (uint)step);
            BigEndian.WriteUInt32(output, passBytes.Length + 4, Totp.Compute(secret, step, Digits));
            return output;
        }
    }
}
