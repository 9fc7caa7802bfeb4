using System.Text;
using EdgeIoT.Firmware.Crypto;
using EdgeIoT.Firmware.Tokens;

namespace EdgeIoT.Firmware.Tests.Tokens;

public sealed class TotpTests
{
    // RFC 6238 appendix B, the SHA-256 rows: 32-byte ASCII seed, 30 s steps, 8 digits.
    [Theory]
    [InlineData(59L, 46119246u)]
    [InlineData(1111111109L, 68084774u)]
    [InlineData(1111111111L, 67062674u)]
    [InlineData(1234567890L, 91819424u)]
    [InlineData(2000000000L, 90698825u)]
    [InlineData(20000000000L, 77737706u)]
    public void Compute_Rfc6238Sha256Vector_MatchesCode(long unixSeconds, uint expected)
    {
        byte[] seed = Encoding.ASCII.GetBytes("12345678901234567890123456789012");

        uint code = Totp.Compute(seed, Totp.StepAt((ulong)unixSeconds, 30), 8);

        Assert.Equal(expected, code);
    }

    // RFC 4231 test case 2: a key shorter than the 64-byte block.
    [Fact]
    public void HmacSha256_Rfc4231Case2_MatchesMac()
    {
        byte[] mac = HmacSha256.Compute(Encoding.ASCII.GetBytes("Jefe"), Encoding.ASCII.GetBytes("what do ya want for nothing?"));

        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Convert.ToHexStringLower(mac));
    }

    // RFC 4231 test case 6: a 131-byte key, longer than the block, so it is hashed first.
    [Fact]
    public void HmacSha256_Rfc4231Case6_MatchesMac()
    {
        byte[] key = Enumerable.Repeat((byte)0xaa, 131).ToArray();

        byte[] mac = HmacSha256.Compute(key, Encoding.ASCII.GetBytes("Test Using Larger Than Block-Size Key - Hash Key First"));

        Assert.Equal("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void HmacSha256_RandomInput_MatchesDotNet()
    {
        var random = new Random(7);
        for (int length = 0; length < 150; length += 7)
        {
            byte[] key = new byte[length % 90];
            byte[] message = new byte[length];
            random.NextBytes(key);
            random.NextBytes(message);

            Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(key, message), HmacSha256.Compute(key, message));
        }
    }
}
