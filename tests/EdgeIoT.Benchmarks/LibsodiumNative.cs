using System.Runtime.InteropServices;

namespace EdgeIoT.Benchmarks;

/// <summary>
/// Direct calls into the libsodium that NSec loads, as the "raw verify" anchor: no key
/// import, no span checks, nothing but crypto_sign_verify_detached.
/// </summary>
internal static partial class LibsodiumNative
{
    private const string Library = "libsodium";

    [LibraryImport(Library, EntryPoint = "sodium_init")]
    internal static partial int SodiumInit();

    /// <returns>0 when the signature is valid, -1 otherwise.</returns>
    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_verify_detached")]
    internal static unsafe partial int VerifyDetached(byte* signature, byte* message, ulong messageLength, byte* publicKey);

    /// <returns>0 on success; <paramref name="signatureLength"/> may be null.</returns>
    [LibraryImport(Library, EntryPoint = "crypto_sign_ed25519_detached")]
    internal static unsafe partial int SignDetached(
        byte* signature, ulong* signatureLength, byte* message, ulong messageLength, byte* secretKey);
}
