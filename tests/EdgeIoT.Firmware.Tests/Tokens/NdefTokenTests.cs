using System.Text;
using CsCheck;
using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Tests.Tokens;

public sealed class NdefTokenTests : IDisposable
{
    private readonly TokenFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Encode_IssuedToken_HasGoldenHeaderAndFitsNtag213()
    {
        byte[] token = _fixture.Issue();

        byte[] message = NdefToken.Encode(token);
        byte[] tagData = NdefToken.EncodeTagData(token);

        // Header 0xD4: MB, ME, SR set, TNF 4 (external type); type length 12; payload length 110.
        Assert.Equal(new byte[] { 0xD4, 12, 110 }, message[..3]);
        Assert.Equal("edgeiot.io:t", Encoding.ASCII.GetString(message, 3, 12));
        Assert.Equal(token, message[15..]);
        Assert.Equal(125, message.Length);
        Assert.Equal(128, tagData.Length);
        Assert.True(tagData.Length <= NdefToken.Ntag213UserBytes);
        Assert.Equal(new byte[] { 0x03, 125 }, tagData[..2]);
        Assert.Equal(0xFE, tagData[^1]);
    }

    [Fact]
    public void RoundTrip_AnyTokenBytes_ReturnsExactBytes()
    {
        Gen.Byte.Array[TokenLayout.TotalLength].Sample(token =>
        {
            byte[]? parsed = NdefToken.TryParse(NdefToken.Encode(token), out string? error);
            byte[]? fromTag = NdefToken.TryParseTagData(NdefToken.EncodeTagData(token), out string? tagError);

            Assert.Null(error);
            Assert.Equal(token, parsed);
            Assert.Null(tagError);
            Assert.Equal(token, fromTag);
        }, iter: 2_000);
    }

    [Fact]
    public void RoundTrip_SignedToken_StillVerifies()
    {
        byte[] token = _fixture.Issue();

        byte[]? parsed = NdefToken.TryParseTagData(NdefToken.EncodeTagData(token), out _);

        Assert.NotNull(parsed);
        Assert.Equal(RejectReason.None, _fixture.Verify(parsed).Reason);
    }

    [Fact]
    public void TryParse_MutatedMessage_NeverThrowsAndNamesFieldOrTokenIsRejected()
    {
        byte[] token = _fixture.Issue();
        byte[] message = NdefToken.Encode(token);

        Gen.Select(Gen.Int[0, message.Length - 1], Gen.Byte[1, 255]).Sample((index, mask) =>
        {
            byte[] mutated = (byte[])message.Clone();
            mutated[index] ^= mask;

            byte[]? parsed = NdefToken.TryParse(mutated, out string? error);

            if (index < NdefToken.RecordPrefixLength + NdefToken.RecordType.Length)
            {
                Assert.Null(parsed);
                Assert.StartsWith("NDEF ", error, StringComparison.Ordinal);
            }
            else
            {
                Assert.NotNull(parsed);
                Assert.NotEqual(RejectReason.None, _fixture.Verify(parsed).Reason);
            }
        }, iter: 3_000);
    }

    [Fact]
    public void TryParse_TruncatedOrExtended_ReturnsNullWithReason()
    {
        byte[] message = NdefToken.Encode(_fixture.Issue());

        Gen.Int[0, message.Length + 20].Where(length => length != message.Length).Sample(length =>
        {
            byte[] resized = new byte[length];
            Array.Copy(message, resized, Math.Min(length, message.Length));

            byte[]? parsed = NdefToken.TryParse(resized, out string? error);

            Assert.Null(parsed);
            Assert.False(string.IsNullOrEmpty(error));
        });
    }

    [Fact]
    public void TryParseTagData_RandomBytes_NeverThrows()
    {
        Gen.Byte.Array[0, 200].Sample(data =>
        {
            byte[]? parsed = NdefToken.TryParseTagData(data, out string? error);

            Assert.True(parsed is null ? error is not null : parsed.Length is TokenLayout.TotalLength or WristbandCredential.TotalLength);
        }, iter: 5_000);
    }

    [Theory]
    [InlineData(0, 0xD1, "TNF is 1")]
    [InlineData(0, 0x94, "MB and ME")]
    [InlineData(0, 0xF4, "CF is set")]
    [InlineData(0, 0xC4, "SR is clear")]
    [InlineData(0, 0xDC, "IL is set")]
    [InlineData(1, 11, "type is not edgeiot.io:t")]
    [InlineData(5, (byte)'X', "type is not edgeiot.io:t")]
    [InlineData(2, 109, "payload length is 109")]
    public void TryParse_WrongField_ErrorNamesField(int index, byte value, string expected)
    {
        byte[] message = NdefToken.Encode(_fixture.Issue());
        message[index] = value;

        byte[]? parsed = NdefToken.TryParse(message, out string? error);

        Assert.Null(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_WrongTokenLength_ThrowsNamingLength()
    {
        var exception = Assert.Throws<ArgumentException>(() => NdefToken.Encode(new byte[111]));

        Assert.Contains("not 111", exception.Message, StringComparison.Ordinal);
    }
}
