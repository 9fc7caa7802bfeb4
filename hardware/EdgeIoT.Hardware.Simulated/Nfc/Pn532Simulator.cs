using System.Collections.Concurrent;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// A PN532 NFC controller on its HSU serial interface, behind a pseudo-terminal. It parses the
/// host's normal information frames (00 00 FF LEN LCS D4 CMD data DCS 00, PN532 user manual
/// section 6.2.1), replies to each with an ACK frame and a D5 response frame, and emulates one
/// NTAG21x target that tests place and remove. Point the real driver at <see cref="PortName"/>.
/// </summary>
public sealed partial class Pn532Simulator : IDisposable
{
    /// <summary>GetFirmwareVersion reply of a PN532 v1.6: IC 0x32, version 1, revision 6, ISO 14443-A/B and 18092 support.</summary>
    public static readonly byte[] FirmwareVersion = [0x32, 0x01, 0x06, 0x07];

    private static readonly byte[] AckFrame = [0x00, 0x00, 0xFF, 0x00, 0xFF, 0x00];
    private static readonly byte[] ErrorFrame = [0x00, 0x00, 0xFF, 0x01, 0xFF, 0x7F, 0x81, 0x00];

    private readonly PseudoTerminal _terminal = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<byte[]> _commands = new();
    private readonly Lock _lock = new();
    private readonly Thread _thread;
    private readonly List<byte> _pending = [];
    private SimulatedNtag? _tag;
    private TaskCompletionSource<bool>? _nextPoll;
    private long _checksumErrors;

    public Pn532Simulator()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "pn532-simulator" };
        _thread.Start();
    }

    /// <summary>Serial device path for the driver, a /dev/pts/N path.</summary>
    public string PortName => _terminal.SlavePath;

    /// <summary>Command frames received, each as command code followed by its parameters.</summary>
    public IReadOnlyCollection<byte[]> Commands => _commands;

    /// <summary>Frames dropped because their length or data checksum was wrong.</summary>
    public long ChecksumErrorCount => Interlocked.Read(ref _checksumErrors);

    /// <summary>Puts <paramref name="tag"/> in the field; the next target poll finds it.</summary>
    public void PlaceTag(SimulatedNtag tag)
    {
        ArgumentNullException.ThrowIfNull(tag);

        lock (_lock)
        {
            _tag = tag;
        }
    }

    public void RemoveTag()
    {
        lock (_lock)
        {
            _tag = null;
        }
    }

    /// <summary>Completes at the next InListPassiveTarget, with true when it found a target.</summary>
    public Task<bool> NextPollAsync()
    {
        lock (_lock)
        {
            _nextPoll ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _nextPoll.Task;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _terminal.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        var buffer = new byte[512];
        while (!_stop.IsCancellationRequested)
        {
            int read = _terminal.Read(buffer, TimeSpan.FromMilliseconds(50));
            if (read == 0)
            {
                continue;
            }

            _pending.AddRange(buffer.AsSpan(0, read));
            while (TryTakeFrame(out byte[]? frame))
            {
                if (frame is not null)
                {
                    Answer(frame);
                }
            }
        }
    }

    /// <summary>
    /// Takes one frame from the bytes received so far. Returns false when more bytes are
    /// needed. <paramref name="frame"/> is null for skipped input: wake-up bytes (0x55 and
    /// zeros), ACK frames from the host and frames with a bad checksum.
    /// </summary>
    private bool TryTakeFrame(out byte[]? frame)
    {
        frame = null;
        int start = FindStartCode();
        if (start < 0)
        {
            // Keep a trailing 0x00, which may be the first byte of the next start code.
            int keep = _pending.Count > 0 && _pending[^1] == 0x00 ? 1 : 0;
            _pending.RemoveRange(0, _pending.Count - keep);
            return false;
        }

        _pending.RemoveRange(0, start);
        if (_pending.Count < 4)
        {
            return false;
        }

        byte length = _pending[2];
        byte lengthChecksum = _pending[3];
        if (length == 0x00 && lengthChecksum == 0xFF)
        {
            _pending.RemoveRange(0, 4);
            return true;
        }

        if ((byte)(length + lengthChecksum) != 0)
        {
            Interlocked.Increment(ref _checksumErrors);
            _pending.RemoveRange(0, 2);
            return true;
        }

        int total = 4 + length + 1;
        if (_pending.Count < total)
        {
            return false;
        }

        byte[] body = [.. _pending.GetRange(4, length + 1)];
        _pending.RemoveRange(0, total);
        if (!IsValidHostFrame(body))
        {
            Interlocked.Increment(ref _checksumErrors);
            return true;
        }

        frame = body[1..^1];
        return true;
    }

    private int FindStartCode()
    {
        for (int i = 0; i + 1 < _pending.Count; i++)
        {
            if (_pending[i] == 0x00 && _pending[i + 1] == 0xFF)
            {
                return i;
            }
        }

        return -1;
    }

    // TFI 0xD4 (host to PN532), and TFI + data + DCS must sum to 0 modulo 256.
    private static bool IsValidHostFrame(byte[] body)
    {
        if (body.Length < 3 || body[0] != 0xD4)
        {
            return false;
        }

        byte sum = 0;
        foreach (byte value in body)
        {
            sum += value;
        }

        return sum == 0;
    }
}
