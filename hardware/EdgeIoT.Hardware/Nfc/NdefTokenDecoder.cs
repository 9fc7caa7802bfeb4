using System.Diagnostics.CodeAnalysis;
using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Hardware;

/// <summary>
/// Reads the token from either NFC form: the binary <c>edgeiot.io:t</c> external record
/// (<see cref="NdefToken"/>, a token or a wristband credential) or, failing that, an NDEF Text
/// record containing the QR text. Both come out as QR text, so the decision path has one input.
/// </summary>
public sealed class NdefTokenDecoder : INfcTokenDecoder
{
    public static NdefTokenDecoder Instance { get; } = new();

    public bool TryDecode(ReadOnlySpan<byte> ndefMessage, [NotNullWhen(true)] out string? tokenText)
    {
        byte[]? credential = NdefToken.TryParse(ndefMessage.ToArray(), out _);
        if (credential is not null)
        {
            tokenText = QrText.Encode(credential);
            return true;
        }

        return NdefTextTokenDecoder.Instance.TryDecode(ndefMessage, out tokenText);
    }
}
