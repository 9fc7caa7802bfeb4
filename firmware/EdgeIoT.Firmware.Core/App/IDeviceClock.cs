namespace EdgeIoT.Firmware.App
{
    /// <summary>The controller's clocks: wall time, possibly wrong until a hub beacon, and a monotonic counter.</summary>
    public interface IDeviceClock
    {
        /// <summary>Device wall-clock time in Unix milliseconds, uncorrected.</summary>
        long UnixMilliseconds { get; }

        /// <summary>Monotonic time since boot in 100-nanosecond ticks.</summary>
        long MonotonicTicks { get; }
    }
}
