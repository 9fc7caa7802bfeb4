using System.Device.Gpio;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// One level change on a simulated pin. <paramref name="TimestampTicks"/> is a
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp, so pulse lengths can be measured.
/// </summary>
public readonly record struct PinEdge(int Pin, PinValue Value, long TimestampTicks);
