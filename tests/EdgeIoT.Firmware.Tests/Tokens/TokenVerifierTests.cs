using CsCheck;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Firmware.Tests.Tokens;

public sealed class TokenVerifierTests : IDisposable
{
    private readonly TokenFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Token_IssuedEncodedDecoded_VerifiesWithSameClaims()
    {
        TokenClaims claims = TokenFixture.Claims(entitlementId: 991, role: GuestRole.CreatorAssistant, zone: 2);
        claims.DelegatorId = 55;
        string qr = TokenIssuer.IssueQrText(claims, _fixture.EdgeKey, TokenFixture.Now);

        Assert.Equal(RejectReason.None, QrText.TryDecode(qr, out byte[] token));
        VerifyResult result = _fixture.Verify(token, zone: 2);

        Assert.Equal(RejectReason.None, result.Reason);
        Assert.Equal(TokenLayout.TotalLength, token.Length);
        Assert.Equal(991u, result.Claims.EntitlementId);
        Assert.Equal(GuestRole.CreatorAssistant, result.Claims.Role);
        Assert.Equal((byte)2, result.Claims.Zone);
        Assert.Equal(55u, result.Claims.DelegatorId);
        Assert.Equal(2500u, result.Claims.SpendAllowanceMinor);
        Assert.Equal(claims.TokenId, result.Claims.TokenId);
        Assert.Equal(_fixture.EdgeKey.KeyId, result.Claims.KeyId);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void Token_AnySingleBitFlipped_IsRejectedWithReason()
    {
        var genClaims = Gen.Select(Gen.UInt, Gen.Byte[1, 5], Gen.Byte, Gen.UInt)
            .Select((id, role, zone, allowance) =>
            {
                TokenClaims c = TokenFixture.Claims(id, (GuestRole)role, zone);
                c.SpendAllowanceMinor = allowance;
                return c;
            });

        Gen.Select(genClaims, Gen.Int[0, (TokenLayout.TotalLength * 8) - 1]).Sample((claims, bit) =>
        {
            byte[] token = _fixture.Issue(claims);
            token[bit / 8] ^= (byte)(1 << (bit % 8));

            VerifyResult result = _fixture.Verify(token, zone: claims.Zone);

            Assert.NotEqual(RejectReason.None, result.Reason);
        }, iter: 10_000);
    }

    // RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72).
    [Theory]
    [InlineData("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")]
    [InlineData("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")]
    public void NSecVerifier_Rfc8032Vector_VerifiesAndRejectsTampering(string publicKeyHex, string messageHex, string signatureHex)
    {
        byte[] publicKey = Convert.FromHexString(publicKeyHex);
        byte[] message = Convert.FromHexString(messageHex);
        byte[] signature = Convert.FromHexString(signatureHex);

        Assert.True(NSecSignatureVerifier.Instance.Verify(publicKey, message, message.Length, signature, 0));

        signature[10] ^= 1;
        Assert.False(NSecSignatureVerifier.Instance.Verify(publicKey, message, message.Length, signature, 0));
    }

    [Fact]
    [Trait("Category", "Security")]
    public void NSecVerifier_NonCanonicalS_IsRejected()
    {
        byte[] token = _fixture.Issue();
        byte[] malleated = (byte[])token.Clone();
        AddGroupOrderToS(malleated, TokenLayout.SignatureOffset + 32);

        Assert.Equal(RejectReason.None, _fixture.Verify(token).Reason);
        Assert.Equal(RejectReason.BadSignature, _fixture.Verify(malleated).Reason);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void Verify_TimeAndScopeProblems_ReportEachReason()
    {
        byte[] token = _fixture.Issue(TokenFixture.Claims(zone: 3));
        uint now = _fixture.NowSeconds;

        Assert.Equal(RejectReason.Expired, _fixture.Verify(token, now: now + 120 + 6, zone: 3).Reason);
        Assert.Equal(RejectReason.None, _fixture.Verify(token, now: now + 120 + 5, zone: 3).Reason);
        Assert.Equal(RejectReason.NotYetValid, _fixture.Verify(token, now: now - 6, zone: 3).Reason);
        Assert.Equal(RejectReason.ClockUnreliable, _fixture.Verify(token, clockReliable: false, zone: 3).Reason);
        Assert.Equal(RejectReason.WrongZone, _fixture.Verify(token, zone: 4).Reason);
        Assert.Equal(RejectReason.None, _fixture.Verify(token, zone: 0).Reason);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void Verify_TokenForOtherEvent_IsWrongEvent()
    {
        TokenClaims claims = TokenFixture.Claims();
        claims.EventId = TokenFixture.EventId + 1;

        Assert.Equal(RejectReason.WrongEvent, _fixture.Verify(_fixture.Issue(claims)).Reason);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void Verify_EpochBelowSnapshot_IsRevoked()
    {
        EntitlementSnapshot snapshot = TokenFixture.Snapshot(
            new EntitlementRecord { EntitlementId = 77, Epoch = 2, Payment = PaymentStatus.Paid, Tier = MembershipTier.Standard });

        Assert.Equal(RejectReason.Revoked, _fixture.Verify(_fixture.Issue(TokenFixture.Claims(epoch: 1)), revocations: snapshot).Reason);
        Assert.Equal(RejectReason.None, _fixture.Verify(_fixture.Issue(TokenFixture.Claims(epoch: 2)), revocations: snapshot).Reason);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void Verify_SecondScanOfAdmittedToken_IsAlreadyAdmitted()
    {
        byte[] token = _fixture.Issue();
        var seen = new SeenSet(16);
        VerifyResult first = _fixture.Verify(token, seen: seen);
        _fixture.Verifier.RecordAdmit(first.Claims, _fixture.NowSeconds, seen);

        Assert.Equal(RejectReason.None, first.Reason);
        Assert.Equal(RejectReason.AlreadyAdmitted, _fixture.Verify(token, now: _fixture.NowSeconds + 3, seen: seen).Reason);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void Verify_KeyNotInList_IsUnknownKid()
    {
        using SigningKey stranger = SigningKey.Generate(TokenFixture.Now.AddHours(-1), TokenFixture.Now.AddHours(1));
        byte[] token = TokenIssuer.Issue(TokenFixture.Claims(), stranger, TokenFixture.Now);

        Assert.Equal(RejectReason.UnknownKeyId, _fixture.Verify(token).Reason);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void KeyList_OlderOrSameVersion_IsRefused()
    {
        KeyEntry entry = TokenIssuer.ToKeyEntry(_fixture.EdgeKey, revoked: true);
        KeyList older = KeyList.TryParseSigned(_fixture.SignKeys(2, entry), _fixture.Root.PublicKey, NSecSignatureVerifier.Instance, out _)!;
        KeyList same = KeyList.TryParseSigned(_fixture.SignKeys(3, entry), _fixture.Root.PublicKey, NSecSignatureVerifier.Instance, out _)!;

        Assert.False(_fixture.Verifier.TryInstallKeys(older));
        Assert.False(_fixture.Verifier.TryInstallKeys(same));
        Assert.Equal(3u, _fixture.Verifier.Keys.Version);
        Assert.Equal(RejectReason.None, _fixture.Verify(_fixture.Issue()).Reason);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void KeyList_SignedByOtherRoot_IsRefusedWithError()
    {
        using SigningKey otherRoot = SigningKey.Generate(TokenFixture.Now.AddDays(-1), TokenFixture.Now.AddDays(1));
        byte[] forged = TokenIssuer.SignKeyList(new KeyList(9, TokenFixture.EventId, [TokenIssuer.ToKeyEntry(_fixture.EdgeKey)]), otherRoot);

        KeyList? parsed = KeyList.TryParseSigned(forged, _fixture.Root.PublicKey, NSecSignatureVerifier.Instance, out string error);

        Assert.Null(parsed);
        Assert.Contains("root", error, StringComparison.Ordinal);
    }

    private static void AddGroupOrderToS(byte[] buffer, int offset)
    {
        // S is little-endian; adding the group order L gives the same point equation, which
        // RFC 8032 section 5.1.7 rejects by requiring S < L.
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
