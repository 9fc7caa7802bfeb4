using System.Security.Cryptography;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace EdgeIoT.Firmware.Tests.Tokens;

public sealed class RotatingPassTests : IDisposable
{
    private readonly TokenFixture _fixture = new();
    private readonly byte[] _rotatingKey = RandomNumberGenerator.GetBytes(RotatingCode.KeyLength);
    private byte[] _pass = [];

    public RotatingPassTests() => _fixture.Verifier.SetRotatingCodeKey(_rotatingKey);

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void Pass_CurrentCode_IsValid()
    {
        RotatingPass phone = Phone(IssuePass(), TokenFixture.Now);

        string qr = phone.CurrentQrText();
        Assert.Equal(RejectReason.None, QrText.TryDecode(qr, out byte[] credential));
        VerifyResult result = _fixture.Verify(credential);

        Assert.Equal(RejectReason.None, result.Reason);
        Assert.Equal(TokenType.Pass, result.Claims.Type);
        Assert.Equal((uint)(_fixture.NowSeconds / RotatingCode.StepSeconds), result.Claims.RotatingStep);
        Assert.Equal(TokenLayout.TotalLength + RotatingCode.SuffixLength, credential.Length);
        Assert.Equal(4 + 177, qr.Length);
    }

    [Fact]
    public void Pass_CodeOneStepOld_IsStillValid()
    {
        byte[] credential = Phone(IssuePass(), TokenFixture.Now).CurrentCredential();

        VerifyResult result = _fixture.Verify(credential, now: _fixture.NowSeconds + RotatingCode.StepSeconds);

        Assert.Equal(RejectReason.None, result.Reason);
    }

    [Fact]
    public void Pass_CodeOlderThanWindow_IsRotatingCodeExpired()
    {
        byte[] credential = Phone(IssuePass(), TokenFixture.Now).CurrentCredential();
        uint later = _fixture.NowSeconds + ((RotatingCode.AcceptedPastSteps + 1) * RotatingCode.StepSeconds);

        VerifyResult result = _fixture.Verify(credential, now: later);

        Assert.Equal(RejectReason.RotatingCodeExpired, result.Reason);
        Assert.Equal("rotating_code_expired", RejectReasons.ToCode(result.Reason));
    }

    [Fact]
    public void Pass_CodeTwoStepsAhead_IsNotYetValid()
    {
        byte[] credential = Phone(IssuePass(), TokenFixture.Now.AddSeconds(2 * RotatingCode.StepSeconds)).CurrentCredential();

        VerifyResult result = _fixture.Verify(credential);

        Assert.Equal(RejectReason.NotYetValid, result.Reason);
    }

    [Fact]
    public void Pass_NewCodeEveryStep_EachVerifies()
    {
        var clock = new FakeTimeProvider(TokenFixture.Now);
        byte[] pass = IssuePass();
        var phone = new RotatingPass(pass, SecretOf(pass), clock);
        var codes = new HashSet<string>();

        for (int step = 0; step < 8; step++)
        {
            codes.Add(phone.CurrentQrText());
            QrText.TryDecode(phone.CurrentQrText(), out byte[] credential);

            Assert.Equal(RejectReason.None, _fixture.Verify(credential, now: (uint)clock.GetUtcNow().ToUnixTimeSeconds()).Reason);
            clock.SetUtcNow(phone.NextChange);
        }

        Assert.Equal(8, codes.Count);
    }

    [Fact]
    public void Pass_WrongCode_IsRotatingCodeInvalid()
    {
        byte[] credential = Phone(IssuePass(), TokenFixture.Now).CurrentCredential();
        credential[^1] ^= 1;

        Assert.Equal(RejectReason.RotatingCodeInvalid, _fixture.Verify(credential).Reason);
    }

    [Fact]
    public void Pass_WithoutCode_IsRotatingCodeInvalid()
    {
        Assert.Equal(RejectReason.RotatingCodeInvalid, _fixture.Verify(IssuePass()).Reason);
    }

    [Fact]
    public void Pass_GateWithoutRotatingKey_IsRotatingCodeInvalid()
    {
        using var other = new TokenFixture();
        byte[] pass = TokenIssuer.IssuePass(PassClaims(), other.EventKey, TokenFixture.Now);
        byte[] credential = RotatingCode.Append(pass, RotatingCode.DeriveSecret(_rotatingKey, pass), (ulong)other.NowSeconds);

        Assert.False(other.Verifier.HasRotatingCodeKey);
        Assert.Equal(RejectReason.RotatingCodeInvalid, other.Verify(credential).Reason);
    }

    [Fact]
    public void Pass_SignedByEdgeKey_IsBadSignature()
    {
        byte[] pass = TokenIssuer.IssuePass(PassClaims(), _fixture.EdgeKey, TokenFixture.Now);
        byte[] credential = RotatingCode.Append(pass, RotatingCode.DeriveSecret(_rotatingKey, pass), (ulong)_fixture.NowSeconds);

        Assert.Equal(RejectReason.BadSignature, _fixture.Verify(credential).Reason);
    }

    [Fact]
    public void SessionToken_SignedByEventKey_IsBadSignature()
    {
        byte[] token = TokenIssuer.Issue(TokenFixture.Claims(), _fixture.EventKey, TokenFixture.Now);

        Assert.Equal(RejectReason.BadSignature, _fixture.Verify(token).Reason);
    }

    [Fact]
    public void Pass_RescanAfterAdmit_IsAlreadyAdmittedThenAdmittedAfterWindow()
    {
        var seen = new SeenSet(16);
        byte[] first = Phone(IssuePass(), TokenFixture.Now).CurrentCredential();
        VerifyResult admitted = _fixture.Verify(first, seen: seen);
        _fixture.Verifier.RecordAdmit(admitted.Claims, _fixture.NowSeconds, seen);

        byte[] next = Phone(_pass, TokenFixture.Now.AddSeconds(RotatingCode.StepSeconds)).CurrentCredential();
        uint muchLater = _fixture.NowSeconds + 600;
        byte[] reentry = Phone(_pass, TokenFixture.Now.AddSeconds(600)).CurrentCredential();

        Assert.Equal(RejectReason.AlreadyAdmitted, _fixture.Verify(next, now: _fixture.NowSeconds + RotatingCode.StepSeconds, seen: seen).Reason);
        Assert.Equal(RejectReason.None, _fixture.Verify(reentry, now: muchLater, seen: seen).Reason);
    }

    [Fact]
    public void Pass_AnySingleBitFlipped_IsRejected()
    {
        byte[] credential = Phone(IssuePass(), TokenFixture.Now).CurrentCredential();

        for (int bit = 0; bit < credential.Length * 8; bit++)
        {
            byte[] mutated = (byte[])credential.Clone();
            mutated[bit / 8] ^= (byte)(1 << (bit % 8));

            Assert.NotEqual(RejectReason.None, _fixture.Verify(mutated).Reason);
        }
    }

    [Fact]
    public void RotatingPass_SessionToken_ThrowsNamingType()
    {
        var exception = Assert.Throws<ArgumentException>(
            () => new RotatingPass(_fixture.Issue(), new byte[32], TimeProvider.System));

        Assert.Contains("token type 3", exception.Message, StringComparison.Ordinal);
    }

    private static TokenClaims PassClaims() => new()
    {
        EventId = TokenFixture.EventId,
        LifetimeSeconds = 8 * 3600,
        EntitlementId = 501,
        Epoch = 1,
        Role = GuestRole.Guest,
    };

    private byte[] IssuePass()
    {
        _pass = TokenIssuer.IssuePass(PassClaims(), _fixture.EventKey, TokenFixture.Now.AddMinutes(-5));
        return _pass;
    }

    private byte[] SecretOf(byte[] pass) => RotatingCode.DeriveSecret(_rotatingKey, pass);

    private RotatingPass Phone(byte[] pass, DateTimeOffset at) => new(pass, SecretOf(pass), new FakeTimeProvider(at));
}
