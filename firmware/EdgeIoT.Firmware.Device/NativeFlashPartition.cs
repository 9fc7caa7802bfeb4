using System.Runtime.CompilerServices;
using EdgeIoT.Firmware.Queue;

namespace EdgeIoT.Firmware.Device
{
    /// <summary>
    /// A data partition of the ESP32's SPI flash, found by its label ("edgeq" for the event
    /// queue, "edgeseen" for the seen-set), through the same native interop module as
    /// <see cref="NativeEd25519Verifier"/>, which calls esp_partition_read,
    /// esp_partition_write and esp_partition_erase_range (Native/edgeiot_system_interop.cpp).
    /// NOR flash programs bits from 1 to 0 only, which is what <see cref="IFlashStorage"/> expects.
    /// </summary>
    public class NativeFlashPartition : IFlashStorage
    {
        public const int EspSectorSize = 4096;
        public const string QueueLabel = "edgeq";
        public const string SeenSetLabel = "edgeseen";

        private readonly string _label;
        private readonly int _size;

        public NativeFlashPartition(string label)
        {
            _label = label;
            _size = NativePartitionSize(label);
            if (_size <= 0 || _size % EspSectorSize != 0)
            {
                throw new System.InvalidOperationException(
                    "Flash partition '" + label + "' is missing or not a multiple of 4096 bytes; check the partition table.");
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
            NativeRead(_label, offset, buffer, bufferOffset, count);
        }

        public void WriteAt(int offset, byte[] buffer, int bufferOffset, int count)
        {
            NativeWrite(_label, offset, buffer, bufferOffset, count);
        }

        public void Erase(int sector)
        {
            NativeErase(_label, sector * EspSectorSize, EspSectorSize);
        }

        /// <summary>Returns esp_timer_get_time(): microseconds since boot, monotonic.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern long MonotonicMicroseconds();

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativePartitionSize(string label);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void NativeRead(string label, int offset, byte[] buffer, int bufferOffset, int count);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void NativeWrite(string label, int offset, byte[] buffer, int bufferOffset, int count);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void NativeErase(string label, int offset, int length);
    }
}
