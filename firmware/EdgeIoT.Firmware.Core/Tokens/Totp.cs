using EdgeIoT.Firmware.Crypto;

namespace EdgeIoT.Firmware.Tokens
{
    /// <summary>
    /// Time-based one-time codes (RFC 6238) with HMAC-SHA-256 and T0 = 0: the counter is
    /// the Unix time divided by the step, and the code is the RFC 4226 dynamic truncation
    /// of the HMAC of the counter as 8 big-endian bytes, modulo 10^digits.
    /// </summary>
    public static class Totp
    {
        /// <summary>Returns the time step (counter T) that contains <paramref name="unixSeconds"/>.</summary>
        public static ulong StepAt(ulong unixSeconds, int stepSeconds)
        {
            if (stepSeconds <= 0)
            {
                throw new System.ArgumentOutOfRangeException(nameof(stepSeconds));
            }

            return unixSeconds / (ulong)stepSeconds;
        }

        /// <summary>Computes the code of time step <paramref name="step"/> with 6 to 9 digits.</summary>
        public static uint Compute(byte[] secret, ulong step, int digits)
        {
            if (digits < 6 || digits > 9)
            {
                throw new System.ArgumentOutOfRangeException(nameof(digits), "Use 6 to 9 digits.");
            }

            byte[] counter = new byte[8];
            BigEndian.WriteUInt64(counter, 0, step);
            byte[] hmac = HmacSha256.Compute(secret, counter);

            // RFC 4226 section 5.3: the low 4 bits of the last byte pick 4 bytes, top bit cleared.
            int offset = hmac[hmac.Length - 1] & 0x0F;
            uint binary = (BigEndian.ReadUInt32(hmac, offset)) & 0x7FFFFFFF;
            uint modulus = 1;
            for (int i = 0; i < digits; i++)
            {
                modulus *= 10;
            }

            return binary % modulus;
        }
    }
}
