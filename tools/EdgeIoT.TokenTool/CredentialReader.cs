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
        string form = $"QR text, {text.Length} characters";
        string? truncation = reason is RejectReason.None or RejectReason.Malformed ? DescribeTruncation(text, bytes) : null;
        return truncation is null
            ? new Credential(source, form, reason == RejectReason.None ? bytes : null, reason, null)
            : new Credential(source, form, null, RejectReason.Malformed, truncation);
    }

    /// <summary>Names a QR text that was cut short, which a whole token never is; null for any other text.</summary>
    private static string? DescribeTruncation(string text, byte[]? bytes)
    {
        string trimmed = text.TrimEnd('\r', '\n');
        int prefix = trimmed.IndexOf(QrText.Prefix, StringComparison.Ordinal);
        if (prefix < 0)
        {
            return null;
        }

        int characters = trimmed.Length - prefix - QrText.Prefix.Length;
        int tokenCharacters = (TokenLayout.TotalLength / 2) * 3;
        if (bytes is null)
        {
            return characters < tokenCharacters
                ? $"QR text is truncated: {characters} Base45 characters follow {QrText.Prefix}, but a token has {tokenCharacters}; scan the whole code"
                : null;
        }

        return bytes.Length < TokenLayout.TotalLength
            ? $"QR text is truncated: it decodes to {bytes.Length} bytes, but a token has at least {TokenLayout.TotalLength}; scan the whole code"
            : null;
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
