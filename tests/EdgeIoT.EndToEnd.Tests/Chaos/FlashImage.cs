using EdgeIoT.Firmware.Queue;

namespace EdgeIoT.EndToEnd.Tests.Chaos;

/// <summary>
/// A copy of a virtual ESP32's flash file in memory, so the test can mount the device's event
/// queue as the device would at boot without changing the file the device uses.
/// </summary>
internal sealed class FlashImage(byte[] bytes, int sectorSize) : IFlashStorage
{
    public int Size => bytes.Length;

    public int SectorSize => sectorSize;

    /// <summary>Returns the sequence number of the last event the device stored in its queue.</summary>
    public static long LastSequence(string flashFile, int sectorSize, int paymentReserveSectors)
    {
        var queue = new FlashRingQueue(new FlashImage(File.ReadAllBytes(flashFile), sectorSize), paymentReserveSectors);
        return queue.NextSequence - 1;
    }

    public void ReadAt(int offset, byte[] buffer, int bufferOffset, int count) =>
        Array.Copy(bytes, offset, buffer, bufferOffset, count);

    public void WriteAt(int offset, byte[] buffer, int bufferOffset, int count) =>
        Array.Copy(buffer, bufferOffset, bytes, offset, count);

    public void Erase(int sector) => Array.Fill(bytes, (byte)0xFF, sector * sectorSize, sectorSize);
}
