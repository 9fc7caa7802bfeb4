using System.Runtime.CompilerServices;
using EdgeIoT.Firmware.Queue;

namespace EdgeIoT.Firmware.Device
{
    /// <summary>
    /// The "edgeq" data partition of the ESP32's SPI flash, through the same native interop
    /// module as <see cref="NativeEd25519Verifier"/>, which calls esp_partition_read,
    /// esp_partition_write and esp_partition_erase_range. NOR flash programs bits from 1 to
    /// 0 only, which is what <see cref="IFlashStorage"/> expects.
    /// </summary>
    public class NativeFlashPartition : IFlashStorage
    {
        public const int EspSectorSize = 4096;

        private readonly int _size;

        public NativeFlashPartition()
        {
            _size = NativePartitionSize();
            if (_size <= 0 || _size % EspSectorSize != 0)
            {
                throw new System.InvalidOperationException("Flash partition 'edgeq' is missing or not a multiple of 4096 bytes.");
            }
        }

        public int Size
        {
            get { return _size; }
        }

        public int SectorSize
        {
            get { return EspSectorSize; }
        }

        public void ReadAt(int offset, byte[] buffer, int bufferOffset, int count)
        {
            NativeRead(offset, buffer, bufferOffset, count);
        }

        public void WriteAt(int offset, byte[] buffer, int bufferOffset, int count)
        {
            NativeWrite(offset, buffer, bufferOffset, count);
        }

        public void Erase(int sector)
        {
            NativeErase(sector * EspSectorSize, EspSectorSize);
        }

        /// <summary>Returns esp_timer_get_time(): microseconds since boot, monotonic.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern long MonotonicMicroseconds();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativePartitionSize();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void NativeRead(int offset, byte[] buffer, int bufferOffset, int count);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void NativeWrite(int offset, byte[] buffer, int bufferOffset, int count);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void NativeErase(int offset, int length);
    }
}
