namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// The ISO/IEC 14443-3 type A side: the tag's state machine (IDLE, READY, ACTIVE, HALT) and
/// the NTAG21x commands behind it.
/// </summary>
public sealed partial class Mfrc522Simulator
{
    private const byte ReqA = 0x26;
    private const byte WupA = 0x52;
    private const byte SelectCascadeLevel1 = 0x93;
    private const byte SelectCascadeLevel2 = 0x95;
    private const byte AnticollisionNvb = 0x20;
    private const byte SelectNvb = 0x70;
    private const byte CascadeTag = 0x88;
    private const byte NtagRead = 0x30;
    private const byte HaltA = 0x50;

    // ATQA of an NTAG21x, 0x0044, sent least significant byte first.
    private static readonly byte[] Atqa = [0x44, 0x00];

    private byte[]? TagResponse(byte[] frame, byte txLastBits)
    {
        if (_tag is null || frame.Length == 0)
        {
            return null;
        }

        _frames.Add(frame);
        if (txLastBits == 7 && frame.Length == 1)
        {
            return ShortFrame(frame[0]);
        }

        if (txLastBits != 0)
        {
            return null;
        }

        byte[]? response = _state switch
        {
            TagState.Ready1 => Anticollision(frame, SelectCascadeLevel1, CascadeLevel1(), sakWhenSelected: 0x04, TagState.Ready2),
            TagState.Ready2 => Anticollision(frame, SelectCascadeLevel2, CascadeLevel2(), sakWhenSelected: 0x00, TagState.Active),
            TagState.Active => ActiveCommand(frame),
            _ => null,
        };

        if (response is null && _state != TagState.Halt)
        {
            // An unexpected or corrupt frame sends a tag that is not halted back to IDLE.
            _state = TagState.Idle;
        }

        return response;
    }

    private byte[]? ShortFrame(byte command)
    {
        bool wakes = command == ReqA ? _state == TagState.Idle : command == WupA && _state is TagState.Idle or TagState.Halt;
        if (!wakes)
        {
            return null;
        }

        _state = TagState.Ready1;
        return Atqa;
    }

    // ANTICOLLISION (NVB 0x20) returns the four UID bytes of this level and their BCC. SELECT
    // (NVB 0x70 with those five bytes and CRC_A) returns the SAK with CRC_A.
    private byte[]? Anticollision(byte[] frame, byte selectCode, byte[] levelBytes, byte sakWhenSelected, TagState next)
    {
        if (frame.Length == 2 && frame[0] == selectCode && frame[1] == AnticollisionNvb)
        {
            return levelBytes;
        }

        if (frame.Length == 9 && frame[0] == selectCode && frame[1] == SelectNvb && HasValidCrc(frame)
            && frame.AsSpan(2, 5).SequenceEqual(levelBytes))
        {
            _state = next;
            return WithCrc([sakWhenSelected]);
        }

        return null;
    }

    private byte[]? ActiveCommand(byte[] frame)
    {
        if (!HasValidCrc(frame))
        {
            return null;
        }

        if (frame.Length == 4 && frame[0] == NtagRead)
        {
            return WithCrc(_tag!.ReadPages(frame[1]));
        }

        if (frame.Length == 4 && frame[0] == HaltA && frame[1] == 0x00)
        {
            // A tag never replies to HLTA, and it keeps quiet until WUPA or until it leaves the field.
            _state = TagState.Halt;
        }

        return null;
    }

    private byte[] CascadeLevel1()
    {
        byte[] uid = _tag!.Uid;
        return [CascadeTag, uid[0], uid[1], uid[2], (byte)(CascadeTag ^ uid[0] ^ uid[1] ^ uid[2])];
    }

    private byte[] CascadeLevel2()
    {
        byte[] uid = _tag!.Uid;
        return [uid[3], uid[4], uid[5], uid[6], (byte)(uid[3] ^ uid[4] ^ uid[5] ^ uid[6])];
    }

    private bool HasValidCrc(byte[] frame)
    {
        if (frame.Length < 3)
        {
            return false;
        }

        ushort crc = CrcA(frame.AsSpan(0, frame.Length - 2), 0x6363);
        bool valid = frame[^2] == (byte)crc && frame[^1] == (byte)(crc >> 8);
        if (!valid)
        {
            Interlocked.Increment(ref _crcErrors);
        }

        return valid;
    }

    private static byte[] WithCrc(byte[] data)
    {
        ushort crc = CrcA(data, 0x6363);
        return [.. data, (byte)crc, (byte)(crc >> 8)];
    }

    /// <summary>
    /// CRC_A of ISO/IEC 14443-3 Annex B: polynomial x^16 + x^12 + x^5 + 1 processed least
    /// significant bit first, no final XOR; sent low byte first.
    /// </summary>
    internal static ushort CrcA(ReadOnlySpan<byte> data, ushort preset)
    {
        ushort crc = preset;
        foreach (byte value in data)
        {
            byte mixed = (byte)(value ^ (byte)crc);
            mixed ^= (byte)(mixed << 4);
            crc = (ushort)((crc >> 8) ^ (mixed << 8) ^ (mixed << 3) ^ (mixed >> 4));
        }

        return crc;
    }
}
