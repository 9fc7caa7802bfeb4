namespace EdgeIoT.Hub.Keys;

/// <summary>
/// One key of the ring as the operator sees it: kid in hex, usage ("root", "event" or "edge"), signing
/// window in Unix milliseconds (long.MaxValue for the root key's open end), and whether it is
/// revoked or the key that signs now. Never carries private key material.
/// </summary>
public sealed record KeyInfo(
    string Kid, string Usage, long NotBeforeMs, long NotAfterMs, bool Revoked, bool Signing, string PublicKey);
