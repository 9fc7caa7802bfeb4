namespace EdgeIoT.Firmware.Verification
{
    /// <summary>One edge signing key from the root-signed key list.</summary>
    public class KeyEntry
    {
        public ulong KeyId { get; set; }

        /// <summary>Raw 32-byte Ed25519 public key.</summary>
        public byte[] PublicKey { get; set; }

        /// <summary>First second (Unix) at which tokens issued under this key are accepted.</summary>
        public uint NotBeforeUnixSeconds { get; set; }

        /// <summary>Last second (Unix) at which a token under this key may still be issued.</summary>
        public uint NotAfterUnixSeconds { get; set; }

        public bool Revoked { get; set; }

        /// <summary>
        /// True for the event key, which signs only event-long credentials (passes and
        /// delegation certificates); false for an edge key, which signs only session tokens.
        /// </summary>
        public bool EventKey { get; set; }
    }
}
