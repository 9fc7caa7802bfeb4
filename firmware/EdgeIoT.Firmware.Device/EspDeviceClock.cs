using EdgeIoT.Firmware.App;

namespace EdgeIoT.Firmware.Device
{
    /// <summary>
    /// Wall clock from the runtime (set by SNTP after Wi-Fi connects, else it starts at boot
    /// time zero) and a monotonic clock from the ESP-IDF high-resolution timer.
    /// </summary>
    public class EspDeviceClock : IDeviceClock
    {
        private static readonly System.DateTime UnixEpoch = new System.DateTime(1970, 1, 1, 0, 0, 0, System.DateTimeKind.Utc);

        public long UnixMilliseconds
        {
            get { return (System.DateTime.UtcNow - UnixEpoch).Ticks / System.TimeSpan.TicksPerMillisecond; }
        }

        public long MonotonicTicks
        {
            get { return NativeFlashPartition.MonotonicMicroseconds() * 10; }
        }
    }
}
