using System.Globalization;

namespace EdgeIoT.Hardware;

/// <summary>
/// Lays out a <see cref="Receipt"/> as ESC/POS: centered bold header, one line per item with
/// the amount right-aligned, bold total, spend remaining, centered QR code, footer, cut.
/// </summary>
public static class ReceiptLayout
{
    /// <summary>Characters per line in font A on 80 mm paper.</summary>
    public const int DefaultLineWidth = 48;

    public static byte[] Render(Receipt receipt, int lineWidth = DefaultLineWidth)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(receipt.Lines);
        ArgumentOutOfRangeException.ThrowIfLessThan(lineWidth, 24);

        var writer = new EscPosWriter().Initialize()
            .Align(EscPosAlignment.Center).Bold(on: true).Line(receipt.Header).Bold(on: false)
            .Align(EscPosAlignment.Left);
        foreach (var line in receipt.Lines)
        {
            writer.Line(Columns(line.Description, FormatAmount(line.AmountMinor), lineWidth));
        }

        writer.Bold(on: true)
            .Line(Columns("TOTAL", FormatAmount(receipt.TotalMinor) + " " + receipt.Currency, lineWidth))
            .Bold(on: false)
            .Line(Columns(
                "Spend remaining", FormatAmount(receipt.SpendRemainingMinor) + " " + receipt.Currency, lineWidth));
        writer.Align(EscPosAlignment.Center);
        if (!string.IsNullOrEmpty(receipt.QrText))
        {
            writer.QrCode(receipt.QrText);
        }

        return writer.Line(receipt.Footer).Feed(3).Cut(partial: true).ToArray();
    }

    /// <summary>Formats minor units with two decimals, for example 1250 as "12.50".</summary>
    // NOTE: assumes a currency with two minor digits (EUR, USD, GBP); JPY or BHD would print wrong.
    public static string FormatAmount(long amountMinor)
    {
        var sign = amountMinor < 0 ? "-" : string.Empty;
        var absolute = Math.Abs((decimal)amountMinor);
        return sign + (absolute / 100m).ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Puts <paramref name="left"/> and <paramref name="right"/> on one line, cutting the left text.
    /// </summary>
    public static string Columns(string left, string right, int lineWidth)
    {
        var room = Math.Max(0, lineWidth - right.Length - 1);
        var description = left.Length > room ? left[..room] : left;
        return description.PadRight(lineWidth - right.Length) + right;
    }
}
