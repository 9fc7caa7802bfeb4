using System.Diagnostics.CodeAnalysis;

namespace EdgeIoT.Hardware;

/// <summary>
/// Turns the NDEF message read from a tag into the token text that the decision path
/// verifies, the same text a QR code carries.
/// </summary>
public interface INfcTokenDecoder
{
    /// <summary>Returns false when the message carries no token record.</summary>
    bool TryDecode(ReadOnlySpan<byte> ndefMessage, [NotNullWhen(true)] out string? tokenText);
}
