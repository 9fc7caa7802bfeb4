namespace EdgeIoT.Hardware;

/// <summary>
/// One line cut from a byte stream by <see cref="LineFramer"/>. An oversize line carries no
/// text, only its length in bytes. <paramref name="TimestampTicks"/> is the
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp of the chunk that held the line's first byte.
/// </summary>
public readonly record struct LineFrame(string Text, bool IsOversize, int Length, long TimestampTicks);
