namespace EdgeIoT.Hardware;

/// <summary>
/// One read from any scanner. <paramref name="TimestampTicks"/> is
/// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the bytes (or the camera frame)
/// arrived, so it marks the start of the scan-to-gate latency. <paramref name="ChipUid"/> is the
/// UID an NFC reader got from the chip's anticollision, which a wristband credential must match;
/// it is null for QR scans.
/// </summary>
public readonly record struct ScanRead(string Text, ScanSource Source, long TimestampTicks, byte[]? ChipUid = null);
