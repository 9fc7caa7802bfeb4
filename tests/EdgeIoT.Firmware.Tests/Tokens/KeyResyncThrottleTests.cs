using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.Firmware.Tests.Tokens;

public sealed class KeyResyncThrottleTests
{
    [Fact]
    public void Throttle_WithinInterval_AllowsOne()
    {
        var throttle = new KeyResyncThrottle(30_000);

        Assert.True(throttle.TryAcquire(1_000));
        Assert.False(throttle.TryAcquire(1_001));
        Assert.False(throttle.TryAcquire(30_999));
        Assert.True(throttle.TryAcquire(31_000));
    }

    [Theory]
    [InlineData(RejectReason.UnknownKeyId, true)]
    [InlineData(RejectReason.DelegationUnknown, true)]
    [InlineData(RejectReason.BadSignature, false)]
    [InlineData(RejectReason.KeyRevoked, false)]
    public void ResyncReason_OnlyMissingKeyOrCertificate(RejectReason reason, bool expected)
    {
        Assert.Equal(expected, KeyResyncThrottle.IsResyncReason(reason));
    }

    [Fact]
    public void Throttle_ZeroInterval_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeyResyncThrottle(0));
    }
}
