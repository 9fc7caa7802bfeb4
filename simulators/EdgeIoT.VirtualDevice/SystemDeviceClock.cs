using EdgeIoT.Firmware.App;

namespace EdgeIoT.VirtualDevice;

/// <summary>The device clocks from a <see cref="TimeProvider"/>, with the wall clock shifted by a skew.</summary>
public sealed class SystemDeviceClock(TimeProvider time, TimeSpan skew) : IDeviceClock
{
    private readonly long _start = time.GetTimestamp();

    public long UnixMilliseconds => (time.GetUtcNow() + skew).ToUnixTimeMilliseconds();

    public long MonotonicTicks => time.GetElapsedTime(_start).Ticks;
}
