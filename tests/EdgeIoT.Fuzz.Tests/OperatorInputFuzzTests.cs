using System.Text;
using CsCheck;
using EdgeIoT.Hardware;
using EdgeIoT.Hub.Import;

namespace EdgeIoT.Fuzz.Tests;

/// <summary>
/// Input from the venue's other systems: ticketing exports an operator imports and the status
/// bytes a receipt printer sends back.
/// </summary>
public sealed class OperatorInputFuzzTests
{
    private static readonly HashSet<string> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        "Order Code", "Attendee Name", "Email", "Ticket Type", "Tier", "Payment Status", "Seat", "Zone",
    };

    [Fact]
    public void GuestCsv_MutatedExports_ErrorsNameRowAndColumn()
    {
        Mutator.Mutants(Corpus.GuestFiles).Sample(bytes =>
        {
            string csv = Encoding.UTF8.GetString(bytes);
            ParserProbe.Run("GuestCsv.Parse", bytes, () =>
            {
                var (rows, errors) = GuestCsv.Parse(csv);
                foreach (ImportRowError error in errors)
                {
                    Assert.True(error.Row >= 1, $"row {error.Row} is not a file row");
                    Assert.False(string.IsNullOrWhiteSpace(error.Message));
                    Assert.False(string.IsNullOrWhiteSpace(error.Column), $"row {error.Row}: no column named");
                }

                Assert.All(rows, row => Assert.False(string.IsNullOrWhiteSpace(row.OrderCode)));
            }, bytesPerInputByte: 256, documented: typeof(FormatException));
        }, iter: FuzzBudget.Iterations(5_000));
    }

    [Fact]
    public void GuestCsv_UnterminatedQuote_NamesLine()
    {
        string csv = "Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status\nA-1,Sam,s@example.test,GA,standard,paid\nA-2,\"Lee,x@example.test,GA,standard,paid\n";

        var error = Assert.Throws<FormatException>(() => GuestCsv.Parse(csv));

        Assert.Contains("line 3", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GuestCsv_StrayQuoteBeforeLaterQuotes_RejectedNotMerged()
    {
        // The stray quote on line 3 would otherwise run to the quote on line 5 and swallow line 4.
        string csv = "Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status\n"
            + "A-1,Sam,s@example.test,GA,standard,paid\n"
            + "A-2,\"Lee,x@example.test,GA,standard,paid\n"
            + "A-3,Kim,k@example.test,GA,standard,paid\n"
            + "A-4,\"Ray, Jo\",r@example.test,GA,standard,paid\n";

        var error = Assert.Throws<FormatException>(() => GuestCsv.Parse(csv));

        Assert.Contains("line 3", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("'R' right after the closing quote", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EscPosStatus_AllReplies_ParseOrNameByte()
    {
        for (int printer = 0; printer < 256; printer++)
        {
            for (int cause = 0; cause < 256; cause += 3)
            {
                for (int paper = 0; paper < 256; paper += 5)
                {
                    bool parsed = EscPosStatus.TryParse((byte)printer, (byte)cause, (byte)paper, out PrinterStatus status, out string error);
                    if (!parsed)
                    {
                        Assert.Matches("^Reply 0x[0-9A-F]{2} to DLE EOT [124] ", error);
                    }
                    else
                    {
                        Assert.Equal(status, Decode(EscPosStatus.Encode(status)));
                    }
                }
            }
        }
    }

    private static PrinterStatus Decode((byte Printer, byte OfflineCause, byte PaperSensor) bytes)
    {
        Assert.True(EscPosStatus.TryParse(bytes.Printer, bytes.OfflineCause, bytes.PaperSensor, out PrinterStatus status, out string error), error);
        return status;
    }
}
