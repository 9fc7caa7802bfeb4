using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Tests.Tokens;

public sealed class QrTextTests : IDisposable
{
    private readonly TokenFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Theory]
    [InlineData("]Q1{0}")]
    [InlineData("\\000026{0}")]
    [InlineData("]Q1\\000026{0}\r\n")]
    [InlineData("{0}\n")]
    public void TryDecode_ScannerPrefixesAndLineEnds_AreStripped(string format)
    {
        byte[] token = _fixture.Issue();
        string scanned = string.Format(format, QrText.Encode(token));

        Assert.Equal(RejectReason.None, QrText.TryDecode(scanned, out byte[] decoded));
        Assert.Equal(token, decoded);
    }

    [Fact]
    public void TryDecode_LowerCase_IsScannerMisconfigured()
    {
        string scanned = QrText.Encode(_fixture.Issue()).ToLowerInvariant();

        Assert.Equal(RejectReason.ScannerMisconfigured, QrText.TryDecode(scanned, out _));
    }

    [Fact]
    public void TryDecode_OverLong_IsScannerMisconfigured()
    {
        string scanned = QrText.Encode(_fixture.Issue()) + new string('0', QrText.MaxScanLength);

        Assert.Equal(RejectReason.ScannerMisconfigured, QrText.TryDecode(scanned, out _));
    }

    [Fact]
    public void TryDecode_ControlCharacterInside_IsScannerMisconfigured()
    {
        string text = QrText.Encode(_fixture.Issue());

        Assert.Equal(RejectReason.ScannerMisconfigured, QrText.TryDecode(text[..20] + "\t" + text[20..], out _));
    }

    [Fact]
    public void TryDecode_OtherVersionPrefix_IsUnsupportedVersion()
    {
        string text = QrText.Encode(_fixture.Issue());

        Assert.Equal(RejectReason.UnsupportedVersion, QrText.TryDecode("EI2:" + text[4..], out _));
        Assert.Equal(RejectReason.Malformed, QrText.TryDecode("XX1:" + text[4..], out _));
    }
}
