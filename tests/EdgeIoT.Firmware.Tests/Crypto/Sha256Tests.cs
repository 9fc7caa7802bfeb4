using System.Security.Cryptography;
using System.Text;
using CsCheck;
using EdgeIoT.Firmware.Crypto;

namespace EdgeIoT.Firmware.Tests.Crypto;

public class Sha256Tests
{
    // Examples from NIST's FIPS 180-4 example document (SHA256.pdf) and the one-million-'a' vector.
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    [InlineData("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")]
    public void Hash_StandardVector_MatchesDigest(string message, string expectedHex)
    {
        byte[] digest = Sha256.Hash(Encoding.ASCII.GetBytes(message));

        Assert.Equal(expectedHex, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Hash_OneMillionA_MatchesDigest()
    {
        byte[] message = Enumerable.Repeat((byte)'a', 1_000_000).ToArray();

        Assert.Equal(
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
            Convert.ToHexStringLower(Sha256.Hash(message)));
    }

    [Fact]
    public void Hash_EveryLengthAroundBlockBoundaries_MatchesDotNet()
    {
        Gen.Byte.Array[0, 200].Sample(
            bytes => Assert.Equal(SHA256.HashData(bytes), Sha256.Hash(bytes)),
            iter: 2_000);
    }

    [Fact]
    public void Crc32_CheckValue_MatchesStandard()
    {
        // The CRC catalogue's check value: CRC-32 of the ASCII digits "123456789".
        byte[] digits = Encoding.ASCII.GetBytes("123456789");

        Assert.Equal(0xCBF43926u, Crc32.Compute(digits, 0, digits.Length));
    }
}
