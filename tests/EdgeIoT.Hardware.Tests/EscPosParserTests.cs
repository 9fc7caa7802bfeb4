using EdgeIoT.Hardware.Simulated;

namespace EdgeIoT.Hardware.Tests;

public sealed class EscPosParserTests
{
    [Fact]
    public void Append_SingleBytes_SameReceipt()
    {
        var receipt = new Receipt("HEAD", [new ReceiptLine("Item", 100)], 100, "EUR", 0, "EI1:QR", "FOOT");
        var bytes = ReceiptLayout.Render(receipt);
        var parser = new EscPosParser();
        var printed = new List<PrintedReceipt>();

        foreach (var value in bytes)
        {
            printed.AddRange(parser.Append([value], replies: []));
        }

        var single = Assert.Single(printed);
        Assert.Equal(bytes, single.Bytes);
        Assert.Equal("EI1:QR", single.QrPayload);
    }

    [Fact]
    public void Append_StatusRequests_AnsweredInOrder()
    {
        var parser = new EscPosParser { StatusRequested = n => (byte)(0x10 + n) };
        var replies = new List<byte>();

        parser.Append([0x10, 0x04, 0x01, 0x10, 0x04, 0x04], replies);

        Assert.Equal<byte>([0x11, 0x14], replies);
    }

    [Fact]
    public void Append_UnknownCommand_CountedAndSkipped()
    {
        var parser = new EscPosParser();

        var printed = parser.Append([0x1B, 0x40, 0x07, 0x41, 0x0A, 0x1D, 0x56, 0x00], replies: []);

        Assert.Equal(1, parser.UnknownCommandCount);
        Assert.Equal(["A"], Assert.Single(printed).Lines);
    }
}
