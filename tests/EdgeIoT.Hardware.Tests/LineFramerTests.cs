using System.Text;

namespace EdgeIoT.Hardware.Tests;

public sealed class LineFramerTests
{
    [Theory]
    [InlineData("ONE\rTWO\r")]
    [InlineData("ONE\nTWO\n")]
    [InlineData("ONE\r\nTWO\r\n")]
    [InlineData("ONE\n\rTWO\n\r")]
    [InlineData("\r\nONE\r\n\r\nTWO\n")]
    public void Append_AnyTerminatorStyle_YieldsSameLines(string input)
    {
        var framer = new LineFramer();

        var lines = framer.Append(Encoding.ASCII.GetBytes(input), timestampTicks: 1);

        Assert.Equal(["ONE", "TWO"], lines.Select(line => line.Text));
        Assert.All(lines, line => Assert.False(line.IsOversize));
    }

    [Fact]
    public void Append_SplitLine_KeepsFirstTimestamp()
    {
        var framer = new LineFramer();

        var first = framer.Append("EI1:AB"u8, timestampTicks: 100);
        var second = framer.Append("CD\r\n"u8, timestampTicks: 200);

        Assert.Empty(first);
        var line = Assert.Single(second);
        Assert.Equal("EI1:ABCD", line.Text);
        Assert.Equal(100, line.TimestampTicks);
    }

    [Fact]
    public void Append_OversizeLine_ReportedAndNextLineIntact()
    {
        var framer = new LineFramer();
        var oversize = new string('A', LineFramer.DefaultMaxLineLength + 10);

        var lines = framer.Append(Encoding.ASCII.GetBytes(oversize + "\r\nNEXT\r\n"), timestampTicks: 1);

        Assert.Equal(2, lines.Count);
        Assert.True(lines[0].IsOversize);
        Assert.Equal(LineFramer.DefaultMaxLineLength + 10, lines[0].Length);
        Assert.Equal(string.Empty, lines[0].Text);
        Assert.Equal("NEXT", lines[1].Text);
    }

    [Fact]
    public void Append_LineOfExactlyMaximum_IsAccepted()
    {
        var framer = new LineFramer();
        var text = new string('B', LineFramer.DefaultMaxLineLength);

        var line = Assert.Single(framer.Append(Encoding.ASCII.GetBytes(text + "\n"), timestampTicks: 1));

        Assert.False(line.IsOversize);
        Assert.Equal(text, line.Text);
    }

    [Fact]
    public void Append_ControlBytes_KeptForQrText()
    {
        var framer = new LineFramer();

        var line = Assert.Single(framer.Append([0x41, 0x1D, 0xD6, 0x0D], timestampTicks: 1));

        Assert.Equal("A\u001DÖ", line.Text);
    }

    [Fact]
    public void Reset_PartialLine_IsDropped()
    {
        var framer = new LineFramer();
        framer.Append("HALF"u8, timestampTicks: 1);

        framer.Reset();
        var line = Assert.Single(framer.Append("WHOLE\r"u8, timestampTicks: 2));

        Assert.Equal("WHOLE", line.Text);
    }
}
