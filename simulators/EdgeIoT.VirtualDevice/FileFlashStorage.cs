using EdgeIoT.Firmware.Queue;

namespace EdgeIoT.VirtualDevice;

/// <summary>
/// The ESP32's flash partition as a file. Writes are ANDed into place like NOR flash and
/// flushed to disk before returning, so a killed process loses nothing it reported stored.
/// </summary>
public sealed class FileFlashStorage : IFlashStorage, IDisposable
{
    private readonly FileStream _file;
    private readonly Lock _sync = new();

    /// <summary>Opens or creates the file; a new or shorter file is extended with erased (0xFF) bytes.</summary>
    public FileFlashStorage(string path, int sectorSize, int sectorCount)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(sectorSize, 256);
        ArgumentOutOfRangeException.ThrowIfLessThan(sectorCount, 3);

        SectorSize = sectorSize;
        Size = sectorSize * sectorCount;
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.WriteThrough);
        if (_file.Length < Size)
        {
            long start = _file.Length;
            byte[] erased = new byte[Size - start];
            Array.Fill(erased, (byte)0xFF);
            _file.Position = start;
            _file.Write(erased);
            _file.Flush(flushToDisk: true);
        }
    }

    public int Size { get; }

    public int SectorSize { get; }

    public void ReadAt(int offset, byte[] buffer, int bufferOffset, int count)
    {
        CheckRange(offset, count);
        lock (_sync)
        {
            _file.Position = offset;
            _file.ReadExactly(buffer, bufferOffset, count);
        }
    }

    public void WriteAt(int offset, byte[] buffer, int bufferOffset, int count)
    {
        CheckRange(offset, count);
        lock (_sync)
        {
            byte[] current = new byte[count];
            _file.Position = offset;
            _file.ReadExactly(current);
            for (int i = 0; i < count; i++)
            {
                current[i] &= buffer[bufferOffset + i];
            }

            _file.Position = offset;
            _file.Write(current);
            _file.Flush(flushToDisk: true);
        }
    }

    public void Erase(int sector)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sector);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sector, Size / SectorSize);

        byte[] erased = new byte[SectorSize];
        Array.Fill(erased, (byte)0xFF);
        lock (_sync)
        {
            _file.Position = (long)sector * SectorSize;
            _file.Write(erased);
            _file.Flush(flushToDisk: true);
        }
    }

    public void Dispose() => _file.Dispose();

    private void CheckRange(int offset, int count)
    {
        if (offset < 0 || count < 0 || offset + count > Size)
        {
            throw new ArgumentOutOfRangeException(
                nameof(offset), $"Flash access at {offset} for {count} bytes is outside the {Size}-byte region.");
        }
    }
}
