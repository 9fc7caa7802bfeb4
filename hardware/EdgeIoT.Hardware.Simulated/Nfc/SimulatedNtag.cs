using System.Text;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// The memory of an NXP NTAG215 (135 pages of 4 bytes, 504-byte user area from page 4) as a
/// test places it on a simulated reader. Page 3 is the Capability Container E1 10 3E 00: NDEF
/// magic, mapping version 1.0, 0x3E × 8 = 496 bytes of data area, read and write access.
/// </summary>
public sealed class SimulatedNtag
{
    private const int PageCount = 135;
    private const int PageSize = 4;

    private SimulatedNtag(byte[] uid, byte[] memory)
    {
        Uid = uid;
        Memory = memory;
    }

    /// <summary>7-byte chip UID, as NTAG21x chips have.</summary>
    public byte[] Uid { get; }

    /// <summary>All pages, page n at offset 4n.</summary>
    public byte[] Memory { get; }

    /// <summary>A tag whose NDEF message is one Text record (RTD "T", UTF-8, language "en") holding <paramref name="text"/>.</summary>
    public static SimulatedNtag WithText(byte[] uid, string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        byte[] language = "en"u8.ToArray();
        byte[] body = Encoding.UTF8.GetBytes(text);
        var payload = new List<byte> { (byte)language.Length };
        payload.AddRange(language);
        payload.AddRange(body);
        return WithNdefMessage(uid, TextRecord(payload.ToArray()));
    }

    /// <summary>A tag whose NDEF TLV contains <paramref name="ndefMessage"/> as given.</summary>
    public static SimulatedNtag WithNdefMessage(byte[] uid, byte[] ndefMessage)
    {
        ArgumentNullException.ThrowIfNull(ndefMessage);

        byte[] memory = Formatted(uid);
        var tlv = new List<byte> { 0x03 };
        if (ndefMessage.Length < 0xFF)
        {
            tlv.Add((byte)ndefMessage.Length);
        }
        else
        {
            tlv.AddRange([0xFF, (byte)(ndefMessage.Length >> 8), (byte)ndefMessage.Length]);
        }

        tlv.AddRange(ndefMessage);
        tlv.Add(0xFE);
        tlv.ToArray().CopyTo(memory, 4 * PageSize);
        return new SimulatedNtag(uid, memory);
    }

    /// <summary>
    /// A formatted tag with <paramref name="tagData"/> written from page 4, as an encoding
    /// station writes the TLV bytes the hub returns for a wristband.
    /// </summary>
    public static SimulatedNtag WithTagData(byte[] uid, byte[] tagData)
    {
        ArgumentNullException.ThrowIfNull(tagData);

        byte[] memory = Formatted(uid);
        int userBytes = memory.Length - (4 * PageSize);
        if (tagData.Length > userBytes)
        {
            throw new ArgumentException($"Tag data of {tagData.Length} bytes does not fit the {userBytes} bytes from page 4.", nameof(tagData));
        }

        tagData.CopyTo(memory, 4 * PageSize);
        return new SimulatedNtag(uid, memory);
    }

    /// <summary>A formatted tag with an empty NDEF TLV, as a wristband that only carries its UID.</summary>
    public static SimulatedNtag Blank(byte[] uid)
    {
        byte[] memory = Formatted(uid);
        memory[4 * PageSize] = 0x03;
        memory[(4 * PageSize) + 1] = 0x00;
        memory[(4 * PageSize) + 2] = 0xFE;
        return new SimulatedNtag(uid, memory);
    }

    /// <summary>Returns the 16 bytes of a READ command: four pages from <paramref name="page"/>, wrapping at the end as NTAG21x does.</summary>
    public byte[] ReadPages(int page)
    {
        var block = new byte[16];
        for (int i = 0; i < block.Length; i++)
        {
            block[i] = Memory[((page * PageSize) + i) % Memory.Length];
        }

        return block;
    }

    // NDEF record header 0xD1: MB, ME, SR set, TNF 1 (NFC Forum well-known type), type "T".
    private static byte[] TextRecord(byte[] payload)
    {
        if (payload.Length > 255)
        {
            throw new ArgumentException($"Text payload of {payload.Length} bytes does not fit a short record (255).");
        }

        return [0xD1, 0x01, (byte)payload.Length, (byte)'T', .. payload];
    }

    private static byte[] Formatted(byte[] uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        if (uid.Length != 7)
        {
            throw new ArgumentException($"NTAG215 UIDs are 7 bytes, not {uid.Length}.", nameof(uid));
        }

        var memory = new byte[PageCount * PageSize];
        uid.AsSpan(0, 3).CopyTo(memory.AsSpan(0));
        memory[3] = (byte)(0x88 ^ uid[0] ^ uid[1] ^ uid[2]);
        uid.AsSpan(3, 4).CopyTo(memory.AsSpan(4));
        memory[8] = (byte)(uid[3] ^ uid[4] ^ uid[5] ^ uid[6]);
        memory[3 * PageSize] = 0xE1;
        memory[(3 * PageSize) + 1] = 0x10;
        memory[(3 * PageSize) + 2] = 0x3E;
        memory[(3 * PageSize) + 3] = 0x00;
        return memory;
    }
}
