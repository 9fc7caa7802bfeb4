using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Checks;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Keys;

/// <summary>
/// Builds the delegation list that the hub publishes next to the key list: the certificate of
/// every assistant whose delegation has not ended and who is not cancelled. Ed25519 signatures
/// are deterministic, so a certificate in the list has the same bytes, and the same reference,
/// as the one in the assistant's tokens.
/// </summary>
public sealed class DelegationDirectory(EntitlementStore store, TokenService tokens, HubOptions options, TimeProvider time)
{
    /// <summary>Returns the current list in the <see cref="DelegationList"/> format.</summary>
    public byte[] BuildList()
    {
        var certificates = new List<byte[]>();
        foreach ((uint assistantId, uint creatorId, long expiresMs) in store.ListDelegations())
        {
            if (Sign(assistantId, creatorId, expiresMs) is byte[] certificate)
            {
                certificates.Add(certificate);
            }
        }

        // NOTE: devices hold at most TokenVerifier.DelegationCapacity (64) certificates; beyond
        // that they keep the ones that end last, and assistants need the embedded form.
        return DelegationList.Encode(options.EventId, [.. certificates.Take(DelegationList.MaxCertificates)]);
    }

    /// <summary>Returns the certificate of one assistant, or null when it has no delegation in force.</summary>
    public byte[]? CertificateFor(uint assistantId)
    {
        (uint CreatorId, long ExpiresMs)? delegation = store.FindDelegation(assistantId);
        return delegation is null ? null : Sign(assistantId, delegation.Value.CreatorId, delegation.Value.ExpiresMs);
    }

    private byte[]? Sign(uint assistantId, uint creatorId, long expiresMs)
    {
        Entitlement? assistant = store.FindById(assistantId);
        if (assistant is null || assistant.Cancelled || expiresMs <= time.GetUtcNow().ToUnixTimeMilliseconds())
        {
            return null;
        }

        return tokens.SignDelegation(assistant, creatorId, DateTimeOffset.FromUnixTimeMilliseconds(expiresMs));
    }
}
