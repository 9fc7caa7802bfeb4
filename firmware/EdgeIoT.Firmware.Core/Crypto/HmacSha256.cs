namespace EdgeIoT.Firmware.Crypto
{
    /// <summary>HMAC-SHA-256 (RFC 2104) on top of <see cref="Sha256"/>, for rotating codes.</summary>
    public static class HmacSha256
    {
        private const int BlockLength = 64;

        /// <summary>Computes the 32-byte HMAC of <paramref name="message"/> under <paramref name="key"/>.</summary>
        public static byte[] Compute(byte[] key, byte[] message)
        {
            if (key == null)
            {
                throw new System.ArgumentNullException(nameof(key));
            }

            if (message == null)
            {
                throw new System.ArgumentNullException(nameof(message));
            }

            byte[] blockKey = new byte[BlockLength];
            byte[] shortKey = key.Length > BlockLength ? Sha256.Hash(key) : key;
            System.Array.Copy(shortKey, blockKey, shortKey.Length);

            byte[] inner = new byte[BlockLength + message.Length];
            byte[] outer = new byte[BlockLength + Sha256.HashLength];
            for (int i = 0; i < BlockLength; i++)
            {
                inner[i] = (byte)(blockKey[i] ^ 0x36);
                outer[i] = (byte)(blockKey[i] ^ 0x5C);
            }

            System.Array.Copy(message, 0, inner, BlockLength, message.Length);
            byte[] innerHash = Sha256.Hash(inner);
            System.Array.Copy(innerHash, 0, outer, BlockLength, innerHash.Length);
            return Sha256.Hash(outer);
        }
    }
}
