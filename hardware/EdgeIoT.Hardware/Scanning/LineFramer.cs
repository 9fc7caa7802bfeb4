using System.Text;

namespace EdgeIoT.Hardware;

/// <summary>
/// Splits a scanner byte stream into lines. CR, LF, CR LF and LF CR all end a line, and empty
/// lines are skipped, so every terminator style yields the same lines. A line longer than
/// <see cref="MaxLineLength"/> is dropped up to its terminator and reported as oversize, so a
/// stuck or misconfigured scanner cannot grow the buffer without bound.
/// </summary>
public sealed class LineFramer
{
    /// <summary>Maximum bytes in one line, far above a token's 169 characters.</summary>
    public const int DefaultMaxLineLength = 1024;

    private readonly byte[] _buffer;
    private int _count;
    private int _oversizeLength;
    private long _lineStartTicks;

    public LineFramer(int maxLineLength = DefaultMaxLineLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineLength, 1);

        _buffer = new byte[maxLineLength];
    }

    public int MaxLineLength => _buffer.Length;

    /// <summary>
    /// Appends bytes that arrived at <paramref name="timestampTicks"/> and returns the lines
    /// they complete. Bytes after the last terminator stay buffered for the next call.
    /// </summary>
    public IReadOnlyList<LineFrame> Append(ReadOnlySpan<byte> data, long timestampTicks)
    {
        List<LineFrame>? frames = null;
        foreach (var value in data)
        {
            if (value is (byte)'\r' or (byte)'\n')
            {
                var frame = EndLine();
                if (frame is not null)
                {
                    frames ??= [];
                    frames.Add(frame.Value);
                }

                continue;
            }

            AppendByte(value, timestampTicks);
        }

        return frames ?? (IReadOnlyList<LineFrame>)[];
    }

    /// <summary>Drops a partial line, for example after the connection was lost mid-line.</summary>
    public void Reset()
    {
        _count = 0;
        _oversizeLength = 0;
    }

    private void AppendByte(byte value, long timestampTicks)
    {
        if (_count == 0 && _oversizeLength == 0)
        {
            _lineStartTicks = timestampTicks;
        }

        if (_oversizeLength > 0)
        {
            _oversizeLength++;
            return;
        }

        if (_count == _buffer.Length)
        {
            _oversizeLength = _count + 1;
            _count = 0;
            return;
        }

        _buffer[_count++] = value;
    }

    private LineFrame? EndLine()
    {
        if (_oversizeLength > 0)
        {
            var oversize = new LineFrame(string.Empty, IsOversize: true, _oversizeLength, _lineStartTicks);
            _oversizeLength = 0;
            return oversize;
        }

        if (_count == 0)
        {
            return null;
        }

        // Latin-1 maps every byte to one char, so a stray control or 8-bit byte survives and
        // QrText can reject it as a scanner misconfiguration instead of it vanishing here.
        var text = Encoding.Latin1.GetString(_buffer, 0, _count);
        var length = _count;
        _count = 0;
        return new LineFrame(text, IsOversize: false, length, _lineStartTicks);
    }
}
