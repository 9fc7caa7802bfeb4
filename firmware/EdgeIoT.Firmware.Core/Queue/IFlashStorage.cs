namespace EdgeIoT.Firmware.Queue
{
    /// <summary>
    /// A NOR flash region: erased bytes read 0xFF, a write can only clear bits until the
    /// sector is erased again, and power may fail in the middle of any write or erase.
    /// </summary>
    public interface IFlashStorage
    {
        /// <summary>Size of the region in bytes, a multiple of <see cref="SectorSize"/>.</summary>
        int Size { get; }

        /// <summary>Smallest erasable unit in bytes (4096 on the ESP32's SPI flash).</summary>
        int SectorSize { get; }

        void ReadAt(int offset, byte[] buffer, int bufferOffset, int count);

        /// <summary>Programs bytes; each stored byte becomes the bitwise AND of old and new value.</summary>
        void WriteAt(int offset, byte[] buffer, int bufferOffset, int count);

        /// <summary>Sets every byte of sector <paramref name="sector"/> (0-based) to 0xFF.</summary>
        void Erase(int sector);
    }
}
