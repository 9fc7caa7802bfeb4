using System.Buffers.Binary;

namespace EdgeIoT.Hardware;

/// <summary>
/// One Linux input event (struct input_event in linux/input.h): a timeval, then type, code
/// and value. On 64-bit Linux (arm64, x86-64) the struct is 24 bytes: two 8-byte time fields,
/// two 16-bit fields and a 32-bit value, in the machine's little-endian order.
/// </summary>
public readonly record struct InputEvent(ushort Type, ushort Code, int Value)
{
    /// <summary>Size of struct input_event on 64-bit Linux.</summary>
    public const int Size = 24;

    public const ushort SynchronizationType = 0x00;
    public const ushort KeyType = 0x01;

    /// <summary>Key event values: released, pressed, and auto-repeat.</summary>
    public const int Released = 0;
    public const int Pressed = 1;
    public const int Repeated = 2;

    /// <summary>Reads one event from the first <see cref="Size"/> bytes; the timeval is skipped.</summary>
    public static InputEvent Read(ReadOnlySpan<byte> bytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes.Length, Size);

        return new InputEvent(
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt16LittleEndian(bytes[18..]),
            BinaryPrimitives.ReadInt32LittleEndian(bytes[20..]));
    }

    /// <summary>Writes the event with <paramref name="time"/> as its timeval.</summary>
    public void Write(Span<byte> bytes, DateTimeOffset time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes.Length, Size);

        long microseconds = time.ToUnixTimeMilliseconds() * 1000;
        BinaryPrimitives.WriteInt64LittleEndian(bytes, microseconds / 1_000_000);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], microseconds % 1_000_000);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[16..], Type);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[18..], Code);
        BinaryPrimitives.WriteInt32LittleEndian(bytes[20..], Value);
    }
}
