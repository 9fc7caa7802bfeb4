using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Protocol.Crypto;

namespace EdgeIoT.Hub.Metrics;

/// <summary>
/// The edge key that signs now and whether its successor is already in the published key list.
/// Times are Unix milliseconds; <see cref="NextKeyId"/> is null and <see cref="NextSigningUntilMs"/>
/// 0 when no successor is listed.
/// </summary>
public sealed record KeyRotationStatus(
    uint KeyListVersion,
    string CurrentKeyId,
    long SigningSinceMs,
    long SigningUntilMs,
    string? NextKeyId,
    long NextSigningUntilMs,
    double AgeSeconds)
{
    /// <summary>Reads the status from the key list; null before the key ring is loaded or when no key covers now.</summary>
    public static KeyRotationStatus? Read(KeyRing keys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(keys);

        KeyList list;
        try
        {
            list = keys.KeyList;
        }
        catch (InvalidOperationException)
        {
            return null;
        }

        long nowSeconds = now.ToUnixTimeSeconds();
        KeyEntry? current = null;
        KeyEntry? next = null;
        for (int i = 0; i < list.Count; i++)
        {
            KeyEntry entry = list.GetEntry(i);
            if (entry.Revoked)
            {
                continue;
            }

            if (entry.NotBeforeUnixSeconds <= nowSeconds && nowSeconds < entry.NotAfterUnixSeconds)
            {
                current = entry;
            }
            else if (entry.NotBeforeUnixSeconds > nowSeconds
                && (next is null || entry.NotBeforeUnixSeconds < next.NotBeforeUnixSeconds))
            {
                next = entry;
            }
        }

        if (current is null)
        {
            return null;
        }

        return new KeyRotationStatus(
            list.Version,
            KeyIds.ToHex(current.KeyId),
            current.NotBeforeUnixSeconds * 1000L,
            current.NotAfterUnixSeconds * 1000L,
            next is null ? null : KeyIds.ToHex(next.KeyId),
            next is null ? 0 : next.NotAfterUnixSeconds * 1000L,
            (now - DateTimeOffset.FromUnixTimeSeconds(current.NotBeforeUnixSeconds)).TotalSeconds);
    }

    /// <summary>Returns whether a key list of this version or later lets a device verify tokens signed at <paramref name="time"/>.</summary>
    public bool Covers(DateTimeOffset time)
    {
        long timeMs = time.ToUnixTimeMilliseconds();
        return timeMs < SigningUntilMs || timeMs < NextSigningUntilMs;
    }
}
