using System.Device.Spi;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// An NXP MFRC522 on its SPI interface, with one NTAG21x that tests place in its field. It
/// implements the register protocol of the MFRC522 datasheet. That covers the SPI address byte
/// (bit 7 read, bits 6 to 1 address, bit 0 zero), the 64-byte FIFO and the Idle, CalcCRC and
/// Transceive commands. It also covers the Set1/Set2 bits of ComIrq and DivIrq and the CRC
/// coprocessor. Transceive hands the FIFO bytes to the simulated tag as an ISO/IEC 14443-3
/// frame: REQA and WUPA (7-bit frames), anticollision and select of cascade levels 1 and 2,
/// then the NTAG READ (0x30) and HLTA commands, each checked for its CRC_A.
/// </summary>
public sealed partial class Mfrc522Simulator : SpiDevice
{
    /// <summary>VersionReg value of an MFRC522 version 2.0.</summary>
    public const byte ChipVersion = 0x92;

    private const int FifoCapacity = 64;

    private readonly Lock _lock = new();
    private readonly byte[] _registers = new byte[64];
    private readonly Queue<byte> _fifo = new();
    private readonly List<byte[]> _frames = [];
    private readonly SpiConnectionSettings _settings = new(0, 0) { Mode = SpiMode.Mode0, ClockFrequency = 5_000_000 };
    private SimulatedNtag? _tag;
    private TagState _state;
    private long _crcErrors;
    private long _transfers;
    private long _addressErrors;

    public Mfrc522Simulator() => Reset();

    private enum TagState
    {
        Idle,
        Ready1,
        Ready2,
        Active,
        Halt,
    }

    public override SpiConnectionSettings ConnectionSettings => _settings;

    /// <summary>ISO/IEC 14443 frames the tag received, each as sent, including any CRC_A.</summary>
    public IReadOnlyList<byte[]> Frames
    {
        get
        {
            lock (_lock)
            {
                return [.. _frames];
            }
        }
    }

    /// <summary>Frames the tag ignored because their CRC_A was wrong.</summary>
    public long CrcErrorCount => Interlocked.Read(ref _crcErrors);

    /// <summary>SPI transfers with the reserved address bit 0 set.</summary>
    public long AddressErrorCount => Interlocked.Read(ref _addressErrors);

    /// <summary>Full-duplex SPI transfers the driver made.</summary>
    public long TransferCount => Interlocked.Read(ref _transfers);

    /// <summary>Puts <paramref name="tag"/> in the field, powered up and idle, as a tag that was just presented.</summary>
    public void PlaceTag(SimulatedNtag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);

        lock (_lock)
        {
            _tag = tag;
            _state = TagState.Idle;
        }
    }

    public void RemoveTag()
    {
        lock (_lock)
        {
            _tag = null;
        }
    }

    public override void TransferFullDuplex(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        if (writeBuffer.Length != readBuffer.Length)
        {
            throw new ArgumentException(
                $"SPI buffers differ in length: write {writeBuffer.Length}, read {readBuffer.Length}.", nameof(readBuffer));
        }

        Interlocked.Increment(ref _transfers);
        if (writeBuffer.IsEmpty)
        {
            return;
        }

        // Drivers often pass one buffer for both directions, so the bytes out are copied first.
        byte[] sent = writeBuffer.ToArray();
        lock (_lock)
        {
            if ((sent[0] & 0x80) != 0)
            {
                ReadTransfer(sent, readBuffer);
            }
            else
            {
                WriteTransfer(sent, readBuffer);
            }
        }
    }

    public override void Write(ReadOnlySpan<byte> buffer) => TransferFullDuplex(buffer, new byte[buffer.Length]);

    public override void WriteByte(byte value) => Write([value]);

    public override void Read(Span<byte> buffer) => TransferFullDuplex(new byte[buffer.Length], buffer);

    public override byte ReadByte()
    {
        Span<byte> buffer = stackalloc byte[1];
        Read(buffer);
        return buffer[0];
    }

    // Each byte names the register whose value the chip shifts out with the next byte. The
    // first byte out is undefined, and the last address byte (0x00 by convention) reads nothing.
    private void ReadTransfer(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        readBuffer[0] = 0;
        for (int i = 1; i < writeBuffer.Length; i++)
        {
            byte address = writeBuffer[i - 1];
            readBuffer[i] = (address & 0x80) == 0 ? (byte)0 : ReadRegister(AddressOf(address));
        }
    }

    // The first byte is the address and every later byte is written to that register.
    private void WriteTransfer(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        readBuffer.Clear();
        int register = AddressOf(writeBuffer[0]);
        for (int i = 1; i < writeBuffer.Length; i++)
        {
            WriteRegister(register, writeBuffer[i]);
        }
    }

    private int AddressOf(byte addressByte)
    {
        if ((addressByte & 0x01) != 0)
        {
            Interlocked.Increment(ref _addressErrors);
        }

        return (addressByte >> 1) & 0x3F;
    }
}
