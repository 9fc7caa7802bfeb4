using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// NTAG contents for ESP32 lanes. The firmware core parses only the binary form of a token on
/// a tag (<see cref="NdefToken"/>, one <c>edgeiot.io:t</c> record), not the NDEF text record
/// that agent lanes also read, so guests tapping at an ESP32 lane carry that form.
/// </summary>
public static class FirmwareTags
{
    /// <summary>
    /// Returns the Type 2 tag data area holding the token of <paramref name="tokenText"/>. Text
    /// that contains no token gives a tag with only a terminator, which the firmware denies as malformed.
    /// </summary>
    public static byte[] DataFor(string tokenText)
    {
        ArgumentNullException.ThrowIfNull(tokenText);

        if (QrText.TryDecode(tokenText, out byte[] token) != RejectReason.None || token.Length != TokenLayout.TotalLength)
        {
            return [NdefToken.TerminatorTlv, 0x00];
        }

        return NdefToken.EncodeTagData(token);
    }

    /// <summary>Returns a 7-byte NTAG UID for the <paramref name="number"/>th tag tapped at a lane.</summary>
    public static byte[] Uid(int number) =>
        [0x04, 0x45, 0x53, (byte)(number >> 24), (byte)(number >> 16), (byte)(number >> 8), (byte)number];
}
