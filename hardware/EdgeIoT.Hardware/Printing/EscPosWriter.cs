using System.Text;

namespace EdgeIoT.Hardware;

/// <summary>
/// Builds an ESC/POS byte stream. Text is sent as printable ASCII; any other character
/// becomes '?', because the printer's default code page differs between models.
/// </summary>
public sealed class EscPosWriter
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    /// <summary>ESC @ "Initialize printer": clears the buffer and resets modes.</summary>
    public EscPosWriter Initialize() => Add(EscPos.Esc, EscPos.Initialize);

    /// <summary>ESC a n "Select justification".</summary>
    public EscPosWriter Align(EscPosAlignment alignment) =>
        Add(EscPos.Esc, EscPos.Justification, (byte)alignment);

    /// <summary>ESC E n "Turn emphasized mode on/off".</summary>
    public EscPosWriter Bold(bool on) => Add(EscPos.Esc, EscPos.Emphasized, on ? (byte)1 : (byte)0);

    /// <summary>Text without a line feed.</summary>
    public EscPosWriter Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        foreach (var character in text)
        {
            _bytes.Add(character is >= ' ' and <= '~' ? (byte)character : (byte)'?');
        }

        return this;
    }

    /// <summary>Text followed by LF "Print and line feed".</summary>
    public EscPosWriter Line(string text) => Text(text).Add(EscPos.LineFeed);

    /// <summary>ESC d n "Print and feed n lines".</summary>
    public EscPosWriter Feed(byte lines) => Add(EscPos.Esc, EscPos.FeedLines, lines);

    /// <summary>
    /// GS ( k QR Code: function 165 (select model 2), 167 (module size), 169 (error
    /// correction level), 180 (store data) and 181 (print the stored symbol).
    /// </summary>
    public EscPosWriter QrCode(
        string data, byte moduleSize = 6, EscPosQrErrorCorrection level = EscPosQrErrorCorrection.Q)
    {
        ArgumentException.ThrowIfNullOrEmpty(data);
        if (data.Length > EscPos.MaxQrDataLength)
        {
            throw new ArgumentException(
                $"QR data of {data.Length} characters is too long: the maximum is {EscPos.MaxQrDataLength}.",
                nameof(data));
        }

        if (moduleSize is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(
                nameof(moduleSize), moduleSize, $"QR module size {moduleSize} is invalid: use 1 to 16 dots.");
        }

        QrFunction(EscPos.QrSelectModel, 0x32, 0x00);
        QrFunction(EscPos.QrModuleSize, moduleSize);
        QrFunction(EscPos.QrErrorCorrection, (byte)level);

        // Function 180: pL pH count cn, fn and m (0x30) plus the data bytes.
        var storeLength = data.Length + 3;
        Add(EscPos.Gs, EscPos.TwoDimensionalOpen, EscPos.TwoDimensionalK);
        Add((byte)(storeLength & 0xFF), (byte)(storeLength >> 8), EscPos.QrCodeSymbol, EscPos.QrStore, 0x30);
        _bytes.AddRange(Encoding.ASCII.GetBytes(data));

        return QrFunction(EscPos.QrPrint, 0x30);
    }

    /// <summary>GS V m "Select cut mode and cut paper": m = 0 full cut, 1 partial cut.</summary>
    public EscPosWriter Cut(bool partial = false) => Add(EscPos.Gs, EscPos.Cut, partial ? (byte)1 : (byte)0);

    /// <summary>DLE EOT n "Transmit real-time status"; the printer replies with one byte.</summary>
    public EscPosWriter StatusRequest(byte n)
    {
        if (n is not (EscPos.StatusPrinter or EscPos.StatusOfflineCause or EscPos.StatusPaperSensor))
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "DLE EOT n must be 1, 2 or 4.");
        }

        return Add(EscPos.Dle, EscPos.Eot, n);
    }

    public byte[] ToArray() => [.. _bytes];

    private EscPosWriter QrFunction(byte function, params ReadOnlySpan<byte> parameters)
    {
        var length = parameters.Length + 2;
        Add(EscPos.Gs, EscPos.TwoDimensionalOpen, EscPos.TwoDimensionalK);
        Add((byte)length, 0x00, EscPos.QrCodeSymbol, function);
        return Add(parameters);
    }

    private EscPosWriter Add(params ReadOnlySpan<byte> bytes)
    {
        foreach (var value in bytes)
        {
            _bytes.Add(value);
        }

        return this;
    }
}
