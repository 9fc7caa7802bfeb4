namespace EdgeIoT.Hardware.Tests;

public sealed class EscPosStatusTests
{
    [Fact]
    public void TryParse_AllClear_OnlineWithPaper()
    {
        // 0x12: only the fixed bits 1 and 4, in each of the three replies.
        var parsed = EscPosStatus.TryParse(0x12, 0x12, 0x12, out var status, out var error);

        Assert.True(parsed, error);
        Assert.Equal(new PrinterStatus(Online: true, PaperOut: false, CoverOpen: false, PaperNearEnd: false), status);
    }

    [Fact]
    public void TryParse_PaperEnd_OfflineAndPaperOut()
    {
        // n=1 0x1A: bit 3 offline. n=2 0x32: bit 5 stopped at paper end. n=4 0x72: bits 5,6 paper end.
        var parsed = EscPosStatus.TryParse(0x1A, 0x32, 0x72, out var status, out var error);

        Assert.True(parsed, error);
        Assert.False(status.Online);
        Assert.True(status.PaperOut);
        Assert.False(status.CoverOpen);
    }

    [Fact]
    public void TryParse_CoverOpenNearEnd_BothReported()
    {
        // n=2 0x16: bit 2 cover open. n=4 0x1E: bits 2,3 near end.
        var parsed = EscPosStatus.TryParse(0x1A, 0x16, 0x1E, out var status, out var error);

        Assert.True(parsed, error);
        Assert.True(status.CoverOpen);
        Assert.True(status.PaperNearEnd);
        Assert.False(status.PaperOut);
    }

    [Fact]
    public void TryParse_NotAStatusByte_RejectedWithValue()
    {
        var parsed = EscPosStatus.TryParse(0x12, 0x41, 0x12, out _, out var error);

        Assert.False(parsed);
        Assert.Contains("0x41", error);
        Assert.Contains("DLE EOT 2", error);
    }

    [Fact]
    public void Encode_ThenParse_RoundTrips()
    {
        var original = new PrinterStatus(Online: false, PaperOut: true, CoverOpen: true, PaperNearEnd: true);

        var (printer, offlineCause, paperSensor) = EscPosStatus.Encode(original);
        var parsed = EscPosStatus.TryParse(printer, offlineCause, paperSensor, out var status, out var error);

        Assert.True(parsed, error);
        Assert.Equal(original, status);
    }
}
