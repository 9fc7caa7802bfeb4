using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.EdgeAgent.HubLink;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.EdgeAgent.Tests;

/// <summary>
/// The agent installs a key list only when the venue root signed it and it is newer than the
/// one it holds, so a forged or replayed list cannot add a signing key at the lane.
/// </summary>
[Trait("Category", "Security")]
public sealed class KeyListTrustTests
{
    [Fact]
    public async Task KeyList_SignedByOtherRoot_NotInstalled()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using SigningKey otherRoot = SigningKey.Generate(now.AddDays(-1), now.AddDays(1));
        using SigningKey attackerKey = SigningKey.Generate(now.AddHours(-1), now.AddHours(1));
        byte[] forgedList = TokenIssuer.SignKeyList(
            new KeyList(2, VenueKeys.EventId, [TokenIssuer.ToKeyEntry(attackerKey)]), otherRoot);

        bool installed = lane.State.TryApplyKeys(forgedList);
        AgentDecision? decision = await lane.ScanAsync(IssueGuestToken(attackerKey, 1001), timeout.Token);

        Assert.False(installed);
        Assert.NotNull(decision);
        Assert.False(decision.Admitted);
        Assert.Equal(RejectReason.UnknownKeyId, decision.Reason);
        Assert.Equal(keys.SignedKeyList, File.ReadAllBytes(Path.Combine(folder.Path, "hub-state", HubState.KeysFile)));
    }

    [Fact]
    public async Task KeyList_OlderVersionReplayed_KeepsNewerList()
    {
        using var keys = new VenueKeys();
        using var folder = new TempFolder();
        using CancellationTokenSource timeout = TestTimeouts.Create();
        await using var lane = new Lane(keys, folder.Path, TestHub.FreeLoopbackPort());
        lane.InstallVenueState(keys);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using SigningKey rotatedEdge = SigningKey.Generate(now.AddHours(-1), now.AddHours(1));
        byte[] newerList = TokenIssuer.SignKeyList(
            new KeyList(2, VenueKeys.EventId, [TokenIssuer.ToKeyEntry(rotatedEdge)]), keys.Root);

        // Version 2 drops the first edge key, as after a rotation away from a leaked key. The
        // replayed version 1 still lists that key and carries a valid root signature.
        Assert.True(lane.State.TryApplyKeys(newerList));
        bool rolledBack = lane.State.TryApplyKeys(keys.SignedKeyList);
        AgentDecision? oldKeyToken = await lane.ScanAsync(keys.Issue(1001), timeout.Token);
        AgentDecision? newKeyToken = await lane.ScanAsync(IssueGuestToken(rotatedEdge, 2001), timeout.Token);

        Assert.False(rolledBack);
        Assert.NotNull(oldKeyToken);
        Assert.Equal(RejectReason.UnknownKeyId, oldKeyToken.Reason);
        Assert.NotNull(newKeyToken);
        Assert.True(newKeyToken.Admitted);
    }

    private static string IssueGuestToken(SigningKey key, uint entitlementId)
    {
        var claims = new TokenClaims
        {
            Type = TokenType.Session,
            EventId = VenueKeys.EventId,
            LifetimeSeconds = 120,
            EntitlementId = entitlementId,
            Role = GuestRole.Guest,
        };
        return QrText.Encode(TokenIssuer.Issue(claims, key, DateTimeOffset.UtcNow));
    }
}
