using System.Diagnostics.CodeAnalysis;
using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Protocol.Tokens;

/// <summary>
/// Text form of the 7-byte NFC chip UID a wristband credential is bound to: 14 hex digits, as
/// an encoding station or a phone app shows it, optionally split by colons, spaces or dashes.
/// </summary>
public static class ChipUids
{
    public static string ToHex(byte[] uid)
    {
        ArgumentNullException.ThrowIfNull(uid);

        return Convert.ToHexString(uid);
    }

    /// <summary>Parses a 7-byte UID. Returns false with <paramref name="error"/> naming the value when it is not one.</summary>
    public static bool TryParse(
        string? text, [NotNullWhen(true)] out byte[]? uid, [NotNullWhen(false)] out string? error)
    {
        uid = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "uid is missing: give the chip UID as 14 hex digits, for example 04A22B6A3C5880.";
            return false;
        }

        string digits = text.Trim().Replace(":", "", StringComparison.Ordinal)
            .Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (digits.Length != WristbandCredential.UidLength * 2 || !digits.All(char.IsAsciiHexDigit))
        {
            error = $"uid '{text}' is invalid: a wristband chip UID is 7 bytes, 14 hex digits such as 04A22B6A3C5880.";
            return false;
        }

        uid = Convert.FromHexString(digits);
        error = null;
        return true;
    }
}
