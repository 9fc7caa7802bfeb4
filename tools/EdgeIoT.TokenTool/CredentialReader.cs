using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.TokenTool;

/// <summary>Turns the inspect command's inputs (QR text, a file of lines, NDEF bytes) into credentials.</summary>
internal static class CredentialReader
{
    public static Credential FromQrText(string source, string text)
    {
        RejectReason reason = QrText.TryDecode(text, out byte[] bytes);
        return new Credential(source, $"QR text, {text.Length} characters", reason == RejectReason.None ? bytes : null, reason, null);
    }

    /// <summary>Reads one credential per non-empty line; a line keeps its CR, as a scanner would send it.</summary>
    public static IEnumerable<Credential> FromLines(FileInfo file)
    {
        int lineNumber = 0;
        foreach (string line in File.ReadLines(file.FullName))
        {
            lineNumber++;
            if (line.Trim().Length > 0)
            {
                yield return FromQrText($"line {lineNumber} of {file.Name}", line);
            }
        }
    }

    /// <summary>
    /// Reads an NDEF message, or NFC Forum Type 2 tag data starting with the NDEF TLV (0x03),
    /// from raw bytes.
    /// </summary>
    public static Credential FromNdef(string source, byte[] data)
    {
        bool tagData = data.Length > 0 && data[0] is NdefToken.NdefTlvType or 0x00;
        string? error;
        byte[]? token = tagData ? NdefToken.TryParseTagData(data, out error) : NdefToken.TryParse(data, out error);
        string form = tagData ? $"NFC Type 2 tag data, {data.Length} bytes" : $"NDEF message, {data.Length} bytes";
        return new Credential(source, form, token, token is null ? RejectReason.Malformed : RejectReason.None, error);
    }
}
