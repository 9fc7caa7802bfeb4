using EdgeIoT.Firmware.Queue;

namespace EdgeIoT.Firmware.Tests.Queue;

/// <summary>
/// NOR flash in memory: writes AND bits into place, erase sets 0xFF. A write budget, when
/// set, simulates a power loss: the write that exhausts it stores only its first bytes and
/// throws <see cref="PowerLossException"/>, and so does an erase cut short.
/// </summary>
internal sealed class RamFlashStorage : IFlashStorage
{
    private readonly byte[] _bytes;

    public RamFlashStorage(int sectorSize, int sectorCount)
    {
        SectorSize = sectorSize;
        _bytes = new byte[sectorSize * sectorCount];
        Array.Fill(_bytes, (byte)0xFF);
    }

    private RamFlashStorage(int sectorSize, byte[] bytes)
    {
        SectorSize = sectorSize;
        _bytes = bytes;
    }

    public int Size => _bytes.Length;

    public int SectorSize { get; }

    /// <summary>Bytes that may still be written or erased before the simulated power loss; null for no limit.</summary>
    public long? Budget { get; set; }

    public long BytesWritten { get; private set; }

    public RamFlashStorage Clone() => new(SectorSize, (byte[])_bytes.Clone());

    public void ReadAt(int offset, byte[] buffer, int bufferOffset, int count) =>
        Array.Copy(_bytes, offset, buffer, bufferOffset, count);

    public void WriteAt(int offset, byte[] buffer, int bufferOffset, int count)
    {
        int allowed = Take(count);
        for (int i = 0; i < allowed; i++)
        {
            _bytes[offset + i] &= buffer[bufferOffset + i];
        }

        ThrowIfCut(allowed, count);
    }

    public void Erase(int sector)
    {
        int allowed = Take(SectorSize);
        Array.Fill(_bytes, (byte)0xFF, sector * SectorSize, allowed);
        ThrowIfCut(allowed, SectorSize);
    }

    private int Take(int count)
    {
        int allowed = Budget is long budget ? (int)Math.Min(budget, count) : count;
        if (Budget is not null)
        {
            Budget -= allowed;
        }

        BytesWritten += allowed;
        return allowed;
    }

    private static void ThrowIfCut(int allowed, int count)
    {
        if (allowed < count)
        {
            throw new PowerLossException();
        }
    }
}

internal sealed class PowerLossException : Exception
{
    public PowerLossException()
        : base("Simulated power loss during a flash write.")
    {
    }
}
