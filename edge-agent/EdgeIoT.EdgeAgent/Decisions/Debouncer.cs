using System.Diagnostics;
using EdgeIoT.Hardware;

namespace EdgeIoT.EdgeAgent.Decisions;

/// <summary>
/// Drops identical reads from one reader that follow each other inside the window. Each
/// repeat restarts the window, so a phone held under the scanner counts as one scan. An NFC
/// read repeats only with the same chip UID too, so a copied wristband tapped right after the
/// genuine one is still decided (and denied as uid_mismatch).
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
    private readonly byte[]?[] _lastUid = new byte[]?[2];

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
                && SameUid(_lastUid[reader], scan.ChipUid)
                && scan.TimestampTicks - _lastTicks[reader] < _windowTicks;
            _lastText[reader] = scan.Text;
            _lastTicks[reader] = scan.TimestampTicks;
            _lastUid[reader] = scan.ChipUid;
            return repeat;
        }
    }

    private static bool SameUid(byte[]? previous, byte[]? current) =>
        previous is null ? current is null : current is not null && previous.AsSpan().SequenceEqual(current);
}
