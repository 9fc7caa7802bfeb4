using System.Device.Gpio;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// One level change on a simulated pin. <paramref name="TimestampTicks"/> comes from the
/// driver's <see cref="TimeProvider.GetTimestamp"/>, so pulse lengths can be measured with
/// <see cref="SimulatedGpioDriver.GetElapsedTime"/>.
/// </summary>
public readonly record struct PinEdge(int Pin, PinValue Value, long TimestampTicks);
