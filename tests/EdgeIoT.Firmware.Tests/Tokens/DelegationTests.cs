using CsCheck;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Firmware.Tests.Tokens;

public sealed class DelegationTests : IDisposable
{
    private const uint CreatorId = 40;
    private const uint AssistantId = 41;
    private readonly TokenFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void DelegatedToken_WithEmbeddedCertificate_IsValidAndNamesBothPeople()
    {
        byte[] credential = Embed(IssueDelegated(), SignCertificate());

        VerifyResult result = _fixture.Verify(credential, zone: 2);

        Assert.Equal(RejectReason.None, result.Reason);
        Assert.Equal(AssistantId, result.Claims.EntitlementId);
        Assert.Equal(CreatorId, result.Claims.DelegatorId);
        Assert.Equal(CreatorId, result.Delegation.CreatorId);
        Assert.Equal(AssistantId, result.Delegation.AssistantId);
        Assert.Equal(209, credential.Length);
    }

    [Fact]
    public void DelegatedToken_ShortFormAfterCertificateSeen_IsValid()
    {
        Assert.Equal(RejectReason.None, _fixture.Verify(Embed(IssueDelegated(), SignCertificate()), zone: 2).Reason);

        VerifyResult shortForm = _fixture.Verify(IssueDelegated(), zone: 2);

        Assert.Equal(RejectReason.None, shortForm.Reason);
        Assert.Equal(1, _fixture.Verifier.Delegations.Count);
    }

    [Fact]
    public void DelegatedToken_CertificateAddedFromList_IsValid()
    {
        Assert.Equal(RejectReason.None, _fixture.Verifier.TryAddDelegation(SignCertificate()));

        Assert.Equal(RejectReason.None, _fixture.Verify(IssueDelegated(), zone: 2).Reason);
    }

    [Fact]
    public void DelegatedToken_NoCertificateKnown_IsDelegationUnknown()
    {
        VerifyResult result = _fixture.Verify(IssueDelegated(), zone: 2);

        Assert.Equal(RejectReason.DelegationUnknown, result.Reason);
        Assert.Equal("delegation_unknown", RejectReasons.ToCode(result.Reason));
    }

    [Theory]
    [InlineData("spend", RejectReason.DelegationExceeded)]
    [InlineData("zone", RejectReason.DelegationExceeded)]
    [InlineData("every zone", RejectReason.DelegationExceeded)]
    [InlineData("role", RejectReason.DelegationExceeded)]
    [InlineData("creator", RejectReason.DelegationExceeded)]
    [InlineData("assistant", RejectReason.DelegationExceeded)]
    [InlineData("after event end", RejectReason.DelegationExceeded)]
    public void DelegatedToken_BeyondCertificate_IsRejected(string change, RejectReason expected)
    {
        TokenClaims claims = DelegatedClaims();
        switch (change)
        {
            case "spend": claims.SpendAllowanceMinor = 5001; break;
            case "zone": claims.Zone = 3; break;
            case "every zone": claims.Zone = 0; break;
            case "role": claims.Role = GuestRole.Staff; break;
            case "creator": claims.DelegatorId = CreatorId + 1; break;
            case "assistant": claims.EntitlementId = AssistantId + 1; break;
            default: claims.LifetimeSeconds = 300; break;
        }

        DelegationCertificate certificate = Certificate();
        if (change == "after event end")
        {
            certificate.NotAfterUnixSeconds = _fixture.NowSeconds + 100;
        }

        byte[] credential = Embed(TokenIssuer.Issue(claims, _fixture.EdgeKey, TokenFixture.Now), TokenIssuer.SignDelegation(certificate, _fixture.EventKey));

        Assert.Equal(expected, _fixture.Verify(credential, zone: 0).Reason);
    }

    [Fact]
    [Trait("Category", "Security")]
    public void Certificate_SignedByEdgeKey_IsBadSignature()
    {
        DelegationCertificate certificate = Certificate();
        certificate.KeyId = _fixture.EdgeKey.KeyId;
        byte[] encoded = certificate.EncodeUnsigned();
        _fixture.EdgeKey.Sign(encoded.AsSpan(0, DelegationCertificate.SignedLength), encoded.AsSpan(DelegationCertificate.SignatureOffset));

        Assert.Equal(RejectReason.BadSignature, _fixture.Verify(Embed(IssueDelegated(), encoded), zone: 2).Reason);
        Assert.Equal(RejectReason.BadSignature, _fixture.Verifier.TryAddDelegation(encoded));
    }

    [Fact]
    [Trait("Category", "Security")]
    public void Certificate_ForOtherEvent_IsWrongEvent()
    {
        DelegationCertificate certificate = Certificate();
        certificate.EventId = TokenFixture.EventId + 1;

        Assert.Equal(RejectReason.WrongEvent, _fixture.Verifier.TryAddDelegation(TokenIssuer.SignDelegation(certificate, _fixture.EventKey)));
    }

    [Fact]
    [Trait("Category", "Security")]
    public void EmbeddedForm_AnySingleBitFlipped_IsRejected()
    {
        byte[] credential = Embed(IssueDelegated(), SignCertificate());

        for (int bit = 0; bit < credential.Length * 8; bit++)
        {
            using var fresh = new TokenFixture();
            byte[] mutated = Embed(
                IssueDelegated(fresh),
                TokenIssuer.SignDelegation(Certificate(), fresh.EventKey));
            mutated[bit / 8] ^= (byte)(1 << (bit % 8));

            Assert.NotEqual(RejectReason.None, fresh.Verify(mutated, zone: 2).Reason);
        }
    }

    [Fact]
    public void SessionToken_WithCertificateAppended_IsMalformed()
    {
        byte[] credential = Embed(_fixture.Issue(), SignCertificate());

        Assert.Equal(RejectReason.Malformed, _fixture.Verify(credential).Reason);
    }

    [Fact]
    public void AssistantPass_WithCertificateAndCode_IsValid()
    {
        byte[] rotatingKey = new byte[RotatingCode.KeyLength];
        _fixture.Verifier.SetRotatingCodeKey(rotatingKey);
        TokenClaims claims = DelegatedClaims();
        claims.LifetimeSeconds = 3600;
        byte[] pass = Embed(TokenIssuer.IssuePass(claims, _fixture.EventKey, TokenFixture.Now), SignCertificate());

        byte[] credential = RotatingCode.Append(pass, RotatingCode.DeriveSecret(rotatingKey, pass), (ulong)_fixture.NowSeconds);

        Assert.Equal(RejectReason.None, _fixture.Verify(credential, zone: 2).Reason);
    }

    [Fact]
    public void ReferenceForm_CertificateFromList_IsValid()
    {
        byte[] certificate = SignCertificate();
        byte[] credential = WithReference(IssueDelegated(), certificate);

        int installed = _fixture.Verifier.InstallDelegations(
            DelegationList.Encode(TokenFixture.EventId, [certificate]), out string? error);
        VerifyResult result = _fixture.Verify(credential, zone: 2);

        Assert.Equal(1, installed);
        Assert.Null(error);
        Assert.Equal(RejectReason.None, result.Reason);
        Assert.Equal(CreatorId, result.Delegation.CreatorId);
        Assert.Equal(114, credential.Length);
    }

    [Fact]
    public void ReferenceForm_NoCertificateHeld_IsDelegationUnknown()
    {
        byte[] credential = WithReference(IssueDelegated(), SignCertificate());

        Assert.Equal(RejectReason.DelegationUnknown, _fixture.Verify(credential, zone: 2).Reason);
    }

    [Fact]
    public void ReferenceForm_OtherCertificateHeld_IsDelegationUnknown()
    {
        DelegationCertificate other = Certificate();
        other.NotBeforeUnixSeconds += 1;
        Assert.Equal(RejectReason.None, _fixture.Verifier.TryAddDelegation(TokenIssuer.SignDelegation(other, _fixture.EventKey)));
        byte[] credential = WithReference(IssueDelegated(), SignCertificate());

        Assert.Equal(RejectReason.DelegationUnknown, _fixture.Verify(credential, zone: 2).Reason);
    }

    [Fact]
    public void ReferenceForm_AssistantPassWithCode_IsValid()
    {
        byte[] rotatingKey = new byte[RotatingCode.KeyLength];
        _fixture.Verifier.SetRotatingCodeKey(rotatingKey);
        TokenClaims claims = DelegatedClaims();
        claims.LifetimeSeconds = 3600;
        byte[] certificate = SignCertificate();
        Assert.Equal(RejectReason.None, _fixture.Verifier.TryAddDelegation(certificate));
        byte[] pass = WithReference(TokenIssuer.IssuePass(claims, _fixture.EventKey, TokenFixture.Now), certificate);

        byte[] credential = RotatingCode.Append(pass, RotatingCode.DeriveSecret(rotatingKey, pass), (ulong)_fixture.NowSeconds);

        Assert.Equal(RejectReason.None, _fixture.Verify(credential, zone: 2).Reason);
        Assert.Equal(122, credential.Length);
    }

    [Fact]
    public void DelegationList_SameListAgain_KeepsCertificates()
    {
        byte[] list = DelegationList.Encode(TokenFixture.EventId, [SignCertificate()]);
        Assert.Equal(1, _fixture.Verifier.InstallDelegations(list, out _));

        int installed = _fixture.Verifier.InstallDelegations(list, out string? error);

        Assert.Equal(1, installed);
        Assert.Null(error);
        Assert.Equal(1, _fixture.Verifier.Delegations.Count);
    }

    [Fact]
    public void DelegationList_OtherEvent_RejectedNamingEvent()
    {
        byte[] list = DelegationList.Encode(TokenFixture.EventId + 1, [SignCertificate()]);

        int installed = _fixture.Verifier.InstallDelegations(list, out string? error);

        Assert.Equal(-1, installed);
        Assert.Contains("event 4243", error, StringComparison.Ordinal);
        Assert.Equal(0, _fixture.Verifier.Delegations.Count);
    }

    [Fact]
    public void DelegationList_Truncated_RejectedNamingLength()
    {
        byte[] list = DelegationList.Encode(TokenFixture.EventId, [SignCertificate()]);

        int installed = _fixture.Verifier.InstallDelegations(list[..^1], out string? error);

        Assert.Equal(-1, installed);
        Assert.Contains("is 105 bytes, expected 106", error, StringComparison.Ordinal);
    }

    [Fact]
    public void DelegationList_ForgedCertificate_SkippedOthersInstalled()
    {
        byte[] forged = SignCertificate();
        forged[DelegationCertificate.SpendLimitOffset] ^= 0x01;
        DelegationCertificate other = Certificate();
        other.AssistantId = AssistantId + 1;
        byte[] genuine = TokenIssuer.SignDelegation(other, _fixture.EventKey);

        int installed = _fixture.Verifier.InstallDelegations(
            DelegationList.Encode(TokenFixture.EventId, [forged, genuine]), out string? error);

        Assert.Equal(1, installed);
        Assert.Contains("1 of 2 delegation certificates were skipped, the first as bad_signature", error, StringComparison.Ordinal);
        Assert.Null(_fixture.Verifier.Delegations.Find(AssistantId));
    }

    [Fact]
    public void Verify_RandomTrailingBytes_NeverThrows()
    {
        byte[] token = IssueDelegated();

        Gen.Byte.Array[1, 300].Sample(tail =>
        {
            VerifyResult result = _fixture.Verify([.. token, .. tail], zone: 2);

            Assert.NotEqual(RejectReason.None, result.Reason);
        }, iter: 2_000);
    }

    private static TokenClaims DelegatedClaims() => new()
    {
        Type = TokenType.Delegated,
        EventId = TokenFixture.EventId,
        LifetimeSeconds = 120,
        EntitlementId = AssistantId,
        Epoch = 1,
        Role = GuestRole.CreatorAssistant,
        Zone = 2,
        SpendAllowanceMinor = 5000,
        DelegatorId = CreatorId,
    };

    private DelegationCertificate Certificate() => new()
    {
        EventId = TokenFixture.EventId,
        AssistantId = AssistantId,
        CreatorId = CreatorId,
        Role = GuestRole.CreatorAssistant,
        Zone = 2,
        SpendLimitMinor = 5000,
        NotBeforeUnixSeconds = _fixture.NowSeconds - 60,
        NotAfterUnixSeconds = _fixture.NowSeconds + (8 * 3600),
    };

    private byte[] SignCertificate() => TokenIssuer.SignDelegation(Certificate(), _fixture.EventKey);

    private byte[] IssueDelegated() => IssueDelegated(_fixture);

    private static byte[] IssueDelegated(TokenFixture fixture) =>
        TokenIssuer.Issue(DelegatedClaims(), fixture.EdgeKey, TokenFixture.Now);

    private static byte[] Embed(byte[] token, byte[] certificate) => [.. token, .. certificate];

    private static byte[] WithReference(byte[] token, byte[] certificate)
    {
        byte[] reference = new byte[DelegationCertificate.ReferenceLength];
        BigEndian.WriteUInt32(reference, 0, DelegationCertificate.ComputeReference(certificate));
        return [.. token, .. reference];
    }
}
