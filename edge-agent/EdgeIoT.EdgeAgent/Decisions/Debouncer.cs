using System.Diagnostics;
using EdgeIoT.Hardware;

namespace EdgeIoT.EdgeAgent.Decisions;

/// <summary>
/// Drops identical reads from one reader that follow each other inside the window. Each
/// repeat restarts the window, so a phone held under the scanner counts as one scan.
/// </summary>
/// <remarks>
/// NOTE: readers are distinguished by kind (QR or NFC) only, so two QR scanners on one lane
/// share a window.
/// </remarks>
internal sealed class Debouncer
{
    private readonly long _windowTicks;
    private readonly Lock _lock = new();
    private readonly string?[] _lastText = new string?[2];
    private readonly long[] _lastTicks = new long[2];

    public Debouncer(TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);

        _windowTicks = (long)(window.TotalSeconds * Stopwatch.Frequency);
    }

    public bool IsRepeat(ScanRead scan)
    {
        int reader = scan.Source == ScanSource.Nfc ? 1 : 0;
        lock (_lock)
        {
            bool repeat = string.Equals(_lastText[reader], scan.Text, StringComparison.Ordinal)
                && scan.TimestampTicks - _lastTicks[reader] < _windowTicks;
            _lastText[reader] = scan.Text;
            _lastTicks[reader] = scan.TimestampTicks;
            return repeat;
        }
    }
}
