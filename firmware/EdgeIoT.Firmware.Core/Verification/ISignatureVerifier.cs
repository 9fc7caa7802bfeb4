namespace EdgeIoT.Firmware.Verification
{
    /// <summary>
    /// Ed25519 signature check (RFC 8032). On .NET it is NSec; on an ESP32 it is a native
    /// interop call into the firmware image, because nanoFramework has no asymmetric crypto.
    /// </summary>
    public interface ISignatureVerifier
    {
        /// <summary>
        /// Verifies <paramref name="signature"/> (64 bytes at <paramref name="signatureOffset"/>)
        /// over <paramref name="messageLength"/> bytes of <paramref name="message"/> from offset 0.
        /// </summary>
        bool Verify(byte[] publicKey, byte[] message, int messageLength, byte[] signature, int signatureOffset);
    }
}
