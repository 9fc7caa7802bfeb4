using System.Text;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// Incremental parser of the ESC/POS commands that <see cref="EscPosWriter"/> emits. Bytes may
/// arrive split anywhere; an incomplete command waits for the next <see cref="Append"/>.
/// <see cref="StatusRequested"/> supplies the reply to each status request, and each cut ends
/// a receipt.
/// </summary>
public sealed class EscPosParser
{
    private readonly List<byte> _pending = [];
    private readonly List<byte> _receiptBytes = [];
    private readonly List<string> _lines = [];
    private readonly List<string> _boldLines = [];
    private readonly StringBuilder _line = new();
    private bool _bold;
    private bool _lineHasBold;
    private bool _cutSeen;
    private string _storedQr = string.Empty;
    private string _printedQr = string.Empty;

    /// <summary>Called with n for each DLE EOT n; the returned byte is the reply.</summary>
    public Func<byte, byte>? StatusRequested { get; set; }

    /// <summary>Commands the parser did not recognize, each skipped by one byte.</summary>
    public int UnknownCommandCount { get; private set; }

    /// <summary>
    /// Parses <paramref name="data"/> and returns the receipts it completed, plus the replies
    /// to any status requests in <paramref name="replies"/>.
    /// </summary>
    public IReadOnlyList<PrintedReceipt> Append(ReadOnlySpan<byte> data, List<byte> replies)
    {
        ArgumentNullException.ThrowIfNull(replies);

        _pending.AddRange(data);
        var receipts = new List<PrintedReceipt>();
        var position = 0;
        while (position < _pending.Count)
        {
            var consumed = ParseCommand(position, replies, receipts);
            if (consumed == 0)
            {
                break;
            }

            position += consumed;
        }

        _pending.RemoveRange(0, position);
        return receipts;
    }

    private int ParseCommand(int start, List<byte> replies, List<PrintedReceipt> receipts)
    {
        var first = _pending[start];
        var consumed = first switch
        {
            EscPos.LineFeed => EndLine(),
            EscPos.Dle => ParseStatusRequest(start, replies),
            EscPos.Esc => ParseEsc(start),
            EscPos.Gs => ParseGs(start),
            >= 0x20 and <= 0x7E => AppendText(first),
            0x0D => 1,
            _ => Unknown(),
        };
        if (consumed > 0 && first != EscPos.Dle)
        {
            _receiptBytes.AddRange(_pending.GetRange(start, consumed));
        }

        if (_cutSeen)
        {
            receipts.Add(new PrintedReceipt([.. _lines], [.. _boldLines], _printedQr, [.. _receiptBytes]));
            ResetReceipt();
            _cutSeen = false;
        }

        return consumed;
    }

    private int AppendText(byte value)
    {
        _line.Append((char)value);
        _lineHasBold |= _bold;
        return 1;
    }

    private int EndLine()
    {
        var text = _line.ToString();
        _lines.Add(text);
        if (_lineHasBold)
        {
            _boldLines.Add(text);
        }

        _line.Clear();
        _lineHasBold = false;
        return 1;
    }

    private int ParseStatusRequest(int start, List<byte> replies)
    {
        if (!Has(start, 3))
        {
            return 0;
        }

        if (_pending[start + 1] != EscPos.Eot)
        {
            return Unknown();
        }

        var reply = StatusRequested?.Invoke(_pending[start + 2]) ?? EscPosStatus.FixedBits;
        replies.Add(reply);
        return 3;
    }

    private int ParseEsc(int start)
    {
        if (!Has(start, 2))
        {
            return 0;
        }

        var command = _pending[start + 1];
        if (command == EscPos.Initialize)
        {
            ResetReceipt();
            return 2;
        }

        if (command is not (EscPos.Justification or EscPos.Emphasized or EscPos.FeedLines))
        {
            return Unknown();
        }

        if (!Has(start, 3))
        {
            return 0;
        }

        if (command == EscPos.Emphasized)
        {
            _bold = (_pending[start + 2] & 1) == 1;
        }

        return 3;
    }

    private int ParseGs(int start)
    {
        if (!Has(start, 3))
        {
            return 0;
        }

        if (_pending[start + 1] == EscPos.Cut)
        {
            return ParseCut(start);
        }

        if (_pending[start + 1] == EscPos.TwoDimensionalOpen && _pending[start + 2] == EscPos.TwoDimensionalK)
        {
            return ParseQrFunction(start);
        }

        return Unknown();
    }

    private int ParseCut(int start)
    {
        // GS V m with m = 0, 1, 48 or 49; m = 65 or 66 carries a feed amount n as well.
        var mode = _pending[start + 2];
        var length = mode is 65 or 66 ? 4 : 3;
        if (!Has(start, length))
        {
            return 0;
        }

        _cutSeen = true;
        return length;
    }

    private int ParseQrFunction(int start)
    {
        if (!Has(start, 7))
        {
            return 0;
        }

        var parameterLength = _pending[start + 3] | (_pending[start + 4] << 8);
        var total = 5 + parameterLength;
        if (!Has(start, total))
        {
            return 0;
        }

        var function = _pending[start + 6];
        if (function == EscPos.QrStore)
        {
            var data = _pending.GetRange(start + 8, parameterLength - 3).ToArray();
            _storedQr = Encoding.ASCII.GetString(data);
        }
        else if (function == EscPos.QrPrint)
        {
            _printedQr = _storedQr;
        }

        return total;
    }

    private void ResetReceipt()
    {
        _lines.Clear();
        _boldLines.Clear();
        _line.Clear();
        _bold = false;
        _lineHasBold = false;
        _storedQr = string.Empty;
        _printedQr = string.Empty;
        _receiptBytes.Clear();
    }

    private int Unknown()
    {
        UnknownCommandCount++;
        return 1;
    }

    private bool Has(int start, int length) => _pending.Count - start >= length;
}
