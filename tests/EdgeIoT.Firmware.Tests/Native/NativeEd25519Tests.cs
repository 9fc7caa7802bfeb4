using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Firmware.Tests.Native;

/// <summary>
/// The ESP32 image's native Ed25519 path (libsodium through edgeiot_ed25519.c) must accept and
/// reject exactly what NSec does on hub and agents, or a gate would admit a code the hub refuses.
/// </summary>
public sealed class NativeEd25519Tests : IClassFixture<NativeEd25519Library>, IDisposable
{
    private readonly NativeEd25519Library _native;
    private readonly TokenFixture _tokens = new();

    public NativeEd25519Tests(NativeEd25519Library native)
    {
        _native = native;
    }

    public void Dispose() => _tokens.Dispose();

    // RFC 8032 section 7.1, TEST 1 (empty message), TEST 2 (0x72) and TEST 3 (0xaf82).
    public static TheoryData<string, string, string> Rfc8032Vectors => new()
    {
        {
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        },
        {
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        },
        {
            "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        },
    };

    [NativeToolchainFact]
    public void Native_Rfc8032Vectors_VerifyAndRejectTampering()
    {
        foreach (object[] vector in Rfc8032Vectors)
        {
            byte[] publicKey = Convert.FromHexString((string)vector[0]);
            byte[] message = Convert.FromHexString((string)vector[1]);
            byte[] signature = Convert.FromHexString((string)vector[2]);

            Assert.Equal(1, _native.Verify(publicKey, message, message.Length, signature));
            signature[10] ^= 1;
            Assert.Equal(0, _native.Verify(publicKey, message, message.Length, signature));
        }
    }

    [NativeToolchainFact]
    public void Native_IssuedToken_AgreesWithNSec()
    {
        byte[] token = _tokens.Issue();

        AssertAgrees(token, expectedValid: true);
    }

    [NativeToolchainFact]
    public void Native_EveryBitFlippedToken_AgreesWithNSec()
    {
        byte[] token = _tokens.Issue();

        for (int bit = 0; bit < token.Length * 8; bit++)
        {
            byte[] flipped = (byte[])token.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            AssertAgrees(flipped, expectedValid: false);
        }
    }

    [NativeToolchainFact]
    public void Native_ManyIssuedTokens_AgreeWithNSec()
    {
        for (uint i = 0; i < 200; i++)
        {
            TokenClaims claims = TokenFixture.Claims(entitlementId: i + 1, zone: (byte)(i % 4));
            AssertAgrees(_tokens.Issue(claims), expectedValid: true);
        }
    }

    [NativeToolchainFact]
    public void Native_NonCanonicalS_IsRejectedLikeNSec()
    {
        byte[] token = _tokens.Issue();
        AddGroupOrderToS(token, TokenLayout.SignatureOffset + 32);

        AssertAgrees(token, expectedValid: false);
    }

    [NativeToolchainFact]
    public void Native_SmallOrderPublicKey_IsRejectedLikeNSec()
    {
        // The identity point (y = 1): with it any S = 0, R = identity "signature" would check out.
        byte[] identity = new byte[32];
        identity[0] = 1;
        byte[] message = [1, 2, 3];
        byte[] signature = new byte[64];
        signature[0] = 1;

        Assert.Equal(0, _native.Verify(identity, message, message.Length, signature));
        Assert.False(NSecSignatureVerifier.Instance.Verify(identity, message, message.Length, signature, 0));
    }

    [NativeToolchainFact]
    public void Native_SignedKeyList_VerifiesUnderRootKey()
    {
        byte[] list = _tokens.SignedKeyList;
        int signedLength = list.Length - 64;
        byte[] signature = list[signedLength..];

        Assert.Equal(1, _native.Verify(_tokens.Root.PublicKey, list, signedLength, signature));
        Assert.Equal(0, _native.Verify(_tokens.EdgeKey.PublicKey, list, signedLength, signature));
    }

    private void AssertAgrees(byte[] token, bool expectedValid)
    {
        byte[] publicKey = _tokens.EdgeKey.PublicKey;
        byte[] signature = token[TokenLayout.SignatureOffset..];
        bool nsec = NSecSignatureVerifier.Instance.Verify(publicKey, token, TokenLayout.SignedLength, token, TokenLayout.SignatureOffset);
        int native = _native.Verify(publicKey, token, TokenLayout.SignedLength, signature);

        Assert.Equal(expectedValid, nsec);
        Assert.Equal(nsec ? 1 : 0, native);
    }

    private static void AddGroupOrderToS(byte[] buffer, int offset)
    {
        // S is little-endian; S + L passes the group equation, and RFC 8032 section 5.1.7
        // rejects it by requiring S < L.
        byte[] order = Convert.FromHexString("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
        int carry = 0;
        for (int i = 0; i < 32; i++)
        {
            int sum = buffer[offset + i] + order[i] + carry;
            buffer[offset + i] = (byte)sum;
            carry = sum >> 8;
        }
    }
}
