namespace EdgeIoT.Hardware;

/// <summary>
/// One read from any scanner. <paramref name="TimestampTicks"/> is
/// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the bytes (or the camera frame)
/// arrived, so it marks the start of the scan-to-gate latency.
/// </summary>
public readonly record struct ScanRead(string Text, ScanSource Source, long TimestampTicks);
