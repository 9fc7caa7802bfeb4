using CsCheck;
using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Firmware.Tests.Tokens;

public sealed class WristbandTests : IDisposable
{
    private static readonly byte[] BoundUid = [0x04, 0xA2, 0x2B, 0x6A, 0x3C, 0x58, 0x80];
    private static readonly byte[] OtherUid = [0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66];

    private readonly TokenFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Wristband_BoundChip_IsValid()
    {
        byte[] credential = Issue();

        VerifyResult result = Verify(credential, BoundUid);

        Assert.Equal(RejectReason.None, result.Reason);
        Assert.Equal(TokenType.Wristband, result.Claims.Type);
        Assert.Equal(WristbandCredential.TotalLength, credential.Length);
        Assert.Equal(BoundUid, credential[TokenLayout.TotalLength..]);
    }

    [Fact]
    public void Wristband_CopiedToOtherChip_IsUidMismatch()
    {
        VerifyResult result = Verify(Issue(), OtherUid);

        Assert.Equal(RejectReason.UidMismatch, result.Reason);
        Assert.Equal("uid_mismatch", RejectReasons.ToCode(result.Reason));
    }

    [Fact]
    public void Wristband_ScannedWithoutChip_IsUidMismatch()
    {
        byte[] credential = Issue();
        Assert.Equal(RejectReason.None, QrText.TryDecode(QrText.Encode(credential), out byte[] fromQr));

        VerifyResult result = _fixture.Verify(fromQr);

        Assert.Equal(RejectReason.UidMismatch, result.Reason);
    }

    [Fact]
    public void Wristband_AnyOtherUid_IsUidMismatch()
    {
        byte[] credential = Issue();

        Gen.Byte.Array[WristbandCredential.UidLength].Where(uid => !uid.AsSpan().SequenceEqual(BoundUid)).Sample(uid =>
        {
            Assert.Equal(RejectReason.UidMismatch, Verify(credential, uid).Reason);
        }, iter: 200);
    }

    [Fact]
    public void Wristband_ChipUidOfOtherLength_IsUidMismatch()
    {
        byte[] credential = Issue();

        VerifyResult singleSize = Verify(credential, BoundUid[..4]);
        VerifyResult tripleSize = Verify(credential, [.. BoundUid, 0x01, 0x02, 0x03]);

        Assert.Equal(RejectReason.UidMismatch, singleSize.Reason);
        Assert.Equal(RejectReason.UidMismatch, tripleSize.Reason);
    }

    [Fact]
    public void Wristband_UidRewrittenToCopy_IsBadSignature()
    {
        byte[] credential = Issue();
        OtherUid.CopyTo(credential, WristbandCredential.UidOffset);

        VerifyResult result = Verify(credential, OtherUid);

        Assert.Equal(RejectReason.BadSignature, result.Reason);
    }

    [Fact]
    public void Wristband_SignedByEdgeKey_IsBadSignature()
    {
        TokenClaims claims = TokenFixture.Claims();
        claims.LifetimeSeconds = 3600;
        byte[] credential = TokenIssuer.IssueWristband(claims, _fixture.EdgeKey, TokenFixture.Now, BoundUid);

        VerifyResult result = Verify(credential, BoundUid);

        Assert.Equal(RejectReason.BadSignature, result.Reason);
    }

    [Fact]
    public void Wristband_TokenWithoutUid_IsMalformed()
    {
        byte[] token = Issue()[..TokenLayout.TotalLength];

        VerifyResult result = Verify(token, BoundUid);

        Assert.Equal(RejectReason.Malformed, result.Reason);
    }

    [Fact]
    public void Wristband_EpochRaised_IsRevoked()
    {
        var snapshot = TokenFixture.Snapshot(new EdgeIoT.Firmware.Snapshot.EntitlementRecord { EntitlementId = 77, Epoch = 2 });

        VerifyResult result = _fixture.Verifier.Verify(
            Issue(), BoundUid, _fixture.NowSeconds, clockReliable: true, gateZone: 0, snapshot, seen: null);

        Assert.Equal(RejectReason.Revoked, result.Reason);
    }

    [Fact]
    public void Wristband_AfterLifetime_IsExpired()
    {
        uint afterExpiry = _fixture.NowSeconds + 3600 + 60;

        VerifyResult result = _fixture.Verifier.Verify(
            Issue(), BoundUid, afterExpiry, clockReliable: true, gateZone: 0, revocations: null, seen: null);

        Assert.Equal(RejectReason.Expired, result.Reason);
    }

    [Fact]
    public void Wristband_SecondTap_AlreadyAdmittedOnlyInsideRepeatWindow()
    {
        byte[] credential = Issue();
        var seen = new SeenSet(16);
        uint now = _fixture.NowSeconds;
        VerifyResult first = _fixture.Verifier.Verify(credential, BoundUid, now, true, 0, null, seen);
        _fixture.Verifier.RecordAdmit(first.Claims, now, seen);

        VerifyResult again = _fixture.Verifier.Verify(credential, BoundUid, now + 5, true, 0, null, seen);
        uint later = now + (uint)WristbandCredential.RepeatWindowSeconds + (uint)_fixture.Verifier.SkewSeconds + 1;
        VerifyResult reentry = _fixture.Verifier.Verify(credential, BoundUid, later, true, 0, null, seen);

        Assert.Equal(RejectReason.AlreadyAdmitted, again.Reason);
        Assert.Equal(RejectReason.None, reentry.Reason);
    }

    [Fact]
    public void Wristband_MutatedByte_NeverValid()
    {
        byte[] credential = Issue();

        Gen.Select(Gen.Int[0, credential.Length - 1], Gen.Byte[1, 255]).Sample((index, mask) =>
        {
            byte[] mutated = (byte[])credential.Clone();
            mutated[index] ^= mask;

            VerifyResult result = Verify(mutated, BoundUid);

            Assert.NotEqual(RejectReason.None, result.Reason);
            if (index >= TokenLayout.SignatureOffset)
            {
                // The signature and the UID after it are both covered by the signature check.
                Assert.Equal(RejectReason.BadSignature, result.Reason);
            }
        }, iter: 2_000);
    }

    [Fact]
    public void Wristband_TruncatedOrExtended_IsMalformed()
    {
        byte[] credential = Issue();

        Gen.Int[TokenLayout.TotalLength + 1, credential.Length + 20].Where(length => length != credential.Length).Sample(length =>
        {
            byte[] resized = new byte[length];
            Array.Copy(credential, resized, Math.Min(length, credential.Length));

            Assert.Equal(RejectReason.Malformed, Verify(resized, BoundUid).Reason);
        });
    }

    [Fact]
    public void Ndef_WristbandCredential_FitsNtag213AndRoundTrips()
    {
        byte[] credential = Issue();

        byte[] tagData = NdefToken.EncodeTagData(credential);
        byte[]? parsed = NdefToken.TryParseTagData(tagData, out string? error);

        Assert.Null(error);
        Assert.Equal(credential, parsed);
        Assert.Equal(NdefToken.WristbandMessageLength + 3, tagData.Length);
        Assert.True(tagData.Length <= NdefToken.Ntag213UserBytes);
        Assert.Equal(RejectReason.None, Verify(parsed!, BoundUid).Reason);
    }

    [Fact]
    public void Ndef_MutatedWristbandMessage_NamesFieldOrIsRejected()
    {
        byte[] message = NdefToken.Encode(Issue());

        Gen.Select(Gen.Int[0, message.Length - 1], Gen.Byte[1, 255]).Sample((index, mask) =>
        {
            byte[] mutated = (byte[])message.Clone();
            mutated[index] ^= mask;

            byte[]? parsed = NdefToken.TryParse(mutated, out string? error);

            if (parsed is null)
            {
                Assert.StartsWith("NDEF ", error, StringComparison.Ordinal);
            }
            else
            {
                Assert.NotEqual(RejectReason.None, Verify(parsed, BoundUid).Reason);
            }
        }, iter: 3_000);
    }

    [Fact]
    public void Issue_UidNotSevenBytes_ThrowsNamingLength()
    {
        var exception = Assert.Throws<ArgumentException>(() =>
            TokenIssuer.IssueWristband(WristbandClaims(), _fixture.EventKey, TokenFixture.Now, new byte[4]));

        Assert.Contains("not 4", exception.Message, StringComparison.Ordinal);
    }

    private byte[] Issue() =>
        TokenIssuer.IssueWristband(WristbandClaims(), _fixture.EventKey, TokenFixture.Now, BoundUid);

    private static TokenClaims WristbandClaims()
    {
        TokenClaims claims = TokenFixture.Claims();
        claims.LifetimeSeconds = 3600;
        return claims;
    }

    private VerifyResult Verify(byte[] credential, byte[] chipUid) =>
        _fixture.Verifier.Verify(
            credential, chipUid, _fixture.NowSeconds, clockReliable: true, gateZone: 0, revocations: null, seen: null);
}
