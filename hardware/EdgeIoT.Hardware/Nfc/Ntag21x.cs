using System.Diagnostics.CodeAnalysis;
using Iot.Device.Card;

namespace EdgeIoT.Hardware;

/// <summary>
/// Reads the NDEF message of an NFC Forum Type 2 tag (NXP NTAG213/215/216, Ultralight) with the
/// READ command (0x30), which returns 16 bytes from four consecutive 4-byte pages. Page 3 is
/// the Capability Container, and the TLV area with the NDEF message TLV starts at page 4
/// (NFC Forum Type 2 Tag specification, sections 6.1 and 2.3).
/// </summary>
public static class Ntag21x
{
    private const byte ReadCommand = 0x30;
    private const byte NdefMagic = 0xE1;
    private const byte NullTlv = 0x00;
    private const byte NdefTlv = 0x03;
    private const byte TerminatorTlv = 0xFE;
    private const int PageSize = 4;
    private const int ReadSize = 16;
    private const int FirstDataPage = 4;

    /// <summary>
    /// Reads the tag's NDEF message. Returns false with <paramref name="error"/> set when the tag
    /// does not respond (<paramref name="transient"/> is then true, and a retry may succeed), is
    /// not NDEF formatted or contains no NDEF message.
    /// </summary>
    public static bool TryReadNdef(
        CardTransceiver reader,
        byte target,
        [NotNullWhen(true)] out byte[]? ndefMessage,
        [NotNullWhen(false)] out string? error,
        out bool transient)
    {
        ArgumentNullException.ThrowIfNull(reader);

        ndefMessage = null;
        transient = true;
        Span<byte> block = stackalloc byte[ReadSize];
        if (!TryRead(reader, target, 3, block))
        {
            error = "the tag did not respond to READ of page 3";
            return false;
        }

        transient = false;

        if (block[0] != NdefMagic)
        {
            error = $"the tag is not NDEF formatted (capability container byte 0 is 0x{block[0]:X2}, expected 0xE1)";
            return false;
        }

        int dataAreaBytes = block[2] * 8;
        byte[] area = new byte[dataAreaBytes];
        int bytesRead = 0;
        while (bytesRead < dataAreaBytes)
        {
            int page = FirstDataPage + (bytesRead / PageSize);
            if (!TryRead(reader, target, (byte)page, block))
            {
                error = $"the tag stopped responding at page {page}";
                transient = true;
                return false;
            }

            int count = Math.Min(ReadSize, dataAreaBytes - bytesRead);
            block[..count].CopyTo(area.AsSpan(bytesRead));
            bytesRead += count;
            if (TryFindNdefTlv(area.AsSpan(0, bytesRead), out ndefMessage, out bool needMore))
            {
                error = null;
                return true;
            }

            if (!needMore)
            {
                error = "the tag holds no NDEF message";
                return false;
            }
        }

        error = "the NDEF message TLV runs past the tag's data area";
        return false;
    }

    /// <summary>
    /// Walks the TLV blocks read so far. Sets <paramref name="needMore"/> when the NDEF TLV (or
    /// the TLV before it) continues past the bytes read.
    /// </summary>
    internal static bool TryFindNdefTlv(
        ReadOnlySpan<byte> area, [NotNullWhen(true)] out byte[]? message, out bool needMore)
    {
        message = null;
        needMore = false;
        int index = 0;
        while (index < area.Length)
        {
            byte type = area[index];
            if (type == NullTlv)
            {
                index++;
                continue;
            }

            if (type == TerminatorTlv)
            {
                return false;
            }

            if (!TryReadLength(area, index + 1, out int length, out int headerLength))
            {
                needMore = true;
                return false;
            }

            int valueStart = index + 1 + headerLength;
            if (valueStart + length > area.Length)
            {
                needMore = true;
                return false;
            }

            if (type == NdefTlv)
            {
                message = area.Slice(valueStart, length).ToArray();
                return true;
            }

            index = valueStart + length;
        }

        needMore = true;
        return false;
    }

    // A TLV length is one byte, or 0xFF followed by a 16-bit big-endian length.
    private static bool TryReadLength(ReadOnlySpan<byte> area, int at, out int length, out int headerLength)
    {
        length = 0;
        headerLength = 1;
        if (at >= area.Length)
        {
            return false;
        }

        if (area[at] != 0xFF)
        {
            length = area[at];
            return true;
        }

        headerLength = 3;
        if (at + 2 >= area.Length)
        {
            return false;
        }

        length = (area[at + 1] << 8) | area[at + 2];
        return true;
    }

    private static bool TryRead(CardTransceiver reader, byte target, byte page, Span<byte> block)
    {
        ReadOnlySpan<byte> command = [ReadCommand, page];
        int read = reader.Transceive(target, command, block, NfcProtocol.Mifare);

        // The PN532 counts its status byte in the result, so a full reply is 16 or 17 bytes.
        return read >= ReadSize;
    }
}
