using System.Runtime.CompilerServices;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Device
{
    /// <summary>
    /// Ed25519 verification through a native interop module compiled into the custom firmware
    /// image (Native/edgeiot_ed25519.c, libsodium's crypto_sign_verify_detached), because
    /// nanoFramework has no asymmetric cryptography. Published ESP32 figures put one verify
    /// at roughly 20 to 50 ms; this was not measured here. The same C function is compiled on
    /// the host and checked against NSec by NativeEd25519Tests.
    /// </summary>
    public class NativeEd25519Verifier : ISignatureVerifier
    {
        public bool Verify(byte[] publicKey, byte[] message, int messageLength, byte[] signature, int signatureOffset)
        {
            if (publicKey == null || message == null || signature == null || publicKey.Length != 32
                || messageLength < 0 || messageLength > message.Length
                || signatureOffset < 0 || signatureOffset + 64 > signature.Length)
            {
                return false;
            }

            return NativeVerify(publicKey, message, messageLength, signature, signatureOffset);
        }

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern bool NativeVerify(byte[] publicKey, byte[] message, int messageLength, byte[] signature, int signatureOffset);
    }
}
