using System.Diagnostics.CodeAnalysis;
using System.Text;
using Iot.Device.Ndef;

namespace EdgeIoT.Hardware;

/// <summary>
/// Reads the token from the first NDEF Text record (NFC Forum RTD "T") of a message, whose
/// text is the token's QR text (<c>EI1:</c> plus Base45).
/// </summary>
public sealed class NdefTextTokenDecoder : INfcTokenDecoder
{
    public static NdefTextTokenDecoder Instance { get; } = new();

    public bool TryDecode(ReadOnlySpan<byte> ndefMessage, [NotNullWhen(true)] out string? tokenText)
    {
        tokenText = null;
        if (ndefMessage.IsEmpty)
        {
            return false;
        }

        NdefMessage message;
        try
        {
            message = new NdefMessage(ndefMessage);
        }
        catch (Exception exception) when (exception is ArgumentException or IndexOutOfRangeException)
        {
            // A truncated or corrupt message is "no token", not a reader fault.
            return false;
        }

        foreach (NdefRecord record in message.Records)
        {
            if (TextRecord.IsTextRecord(record))
            {
                tokenText = new TextRecord(record).Text;
                return tokenText.Length > 0;
            }
        }

        return false;
    }

    /// <summary>Builds a one-record NDEF message with <paramref name="text"/> as a UTF-8 Text record.</summary>
    public static byte[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var message = new NdefMessage();
        message.Records.Add(new TextRecord(text, "en", Encoding.UTF8));
        var bytes = new byte[message.Length];
        message.Serialize(bytes);
        return bytes;
    }
}
