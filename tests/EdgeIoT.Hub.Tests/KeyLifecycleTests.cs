using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EdgeIoT.Hub.Tests;

/// <summary>The key ring on a fake clock and a real SQLite file: publication, retirement, revocation.</summary>
public sealed class KeyLifecycleTests : IDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly HubOptions _options;
    private readonly HubDatabase _database;
    private readonly AuditLog _audit;
    private readonly List<KeyRing> _rings = [];

    public KeyLifecycleTests()
    {
        _options = new HubOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "edgeiot-key-tests", Guid.NewGuid().ToString("N")),
            EventId = 9,
            EventEnd = Start.AddHours(12),
        };
        _options.Keys.RotationInterval = TimeSpan.FromMinutes(20);
        _options.Keys.ClockSkewSeconds = 20;
        Directory.CreateDirectory(_options.DataDirectory);
        _database = new HubDatabase(_options);
        _database.Migrate();
        _audit = new AuditLog(_database, _clock, NullLogger<AuditLog>.Instance);
    }

    [Fact]
    public void KeyRing_NextKey_ListedOneIntervalBeforeItSigns()
    {
        KeyRing ring = LoadRing();
        SigningKey current = ring.SigningKeyAt(Start);
        KeyEntry[] edgeKeys = EdgeEntries(ring.KeyList);

        Assert.Equal(2, edgeKeys.Length);
        KeyEntry next = Assert.Single(edgeKeys, entry => entry.KeyId != current.KeyId);
        Assert.Equal((uint)current.NotAfter.ToUnixTimeSeconds(), next.NotBeforeUnixSeconds);

        _clock.SetUtcNow(current.NotAfter);
        ring.Rotate();

        Assert.Equal(next.KeyId, ring.SigningKeyAt(_clock.GetUtcNow()).KeyId);
    }

    [Fact]
    public void KeyRing_RetiredKey_ListedUntilMaxLifetimePlusSkew()
    {
        KeyRing ring = LoadRing();
        SigningKey first = ring.SigningKeyAt(Start);
        byte[] lastToken = TokenIssuer.Issue(Claims(300), first, first.NotAfter.AddSeconds(-1));
        int retention = TokenLayout.MaxLifetimeSeconds + _options.Keys.ClockSkewSeconds;

        _clock.SetUtcNow(first.NotAfter.AddSeconds(retention));
        ring.Rotate();
        bool listedAtEnd = ring.KeyList.Find(first.KeyId) is not null;
        VerifyResult lastUse = Verifier(ring).Verify(
            lastToken, (uint)(first.NotAfter.ToUnixTimeSeconds() + 299 + _options.Keys.ClockSkewSeconds),
            clockReliable: true, gateZone: 0, revocations: null, seen: null);
        _clock.SetUtcNow(first.NotAfter.AddSeconds(retention + 1));
        ring.Rotate();

        Assert.True(listedAtEnd);
        Assert.Equal(RejectReason.None, lastUse.Reason);
        Assert.Null(ring.KeyList.Find(first.KeyId));
    }

    [Fact]
    public void KeyRing_Revoke_FlagsKeyAndSignsWithAnother()
    {
        KeyRing ring = LoadRing();
        SigningKey current = ring.SigningKeyAt(Start);
        byte[] token = TokenIssuer.Issue(Claims(120), current, Start);
        uint versionBefore = ring.KeyList.Version;
        int changes = 0;
        ring.KeyListChanged += () => changes++;

        bool revoked = ring.Revoke(current.KeyId);

        Assert.True(revoked);
        Assert.Equal(1, changes);
        Assert.True(ring.KeyList.Version > versionBefore);
        Assert.True(ring.KeyList.Find(current.KeyId)!.Revoked);
        Assert.NotEqual(current.KeyId, ring.SigningKeyAt(Start).KeyId);
        Assert.Equal(RejectReason.KeyRevoked, VerifyAt(ring, token, Start).Reason);
        Assert.False(ring.Revoke(current.KeyId));
    }

    [Fact]
    public void KeyRing_RevokedKey_StaysRevokedAfterRestart()
    {
        KeyRing first = LoadRing();
        ulong keyId = first.SigningKeyAt(Start).KeyId;
        first.Revoke(keyId);

        KeyRing second = LoadRing();

        Assert.True(second.KeyList.Find(keyId)!.Revoked);
        Assert.NotEqual(keyId, second.SigningKeyAt(Start).KeyId);
    }

    [Fact]
    public void KeyRing_EventKey_ListedAsEventKeyUntilEventEnd()
    {
        KeyRing ring = LoadRing();

        KeyEntry entry = ring.KeyList.Find(ring.EventKey.KeyId)!;

        Assert.True(entry.EventKey);
        Assert.False(entry.Revoked);
        Assert.Equal((uint)_options.EventEnd!.Value.ToUnixTimeSeconds(), entry.NotAfterUnixSeconds);
        Assert.Equal(RotatingCode.KeyLength, ring.RotatingCodeKey.Length);
    }

    [Fact]
    public void KeyRing_SignedList_ParsesWithRootAndKeepsFlags()
    {
        KeyRing ring = LoadRing();
        ring.Revoke(ring.SigningKeyAt(Start).KeyId);

        KeyList? parsed = KeyList.TryParseSigned(ring.SignedKeyList, ring.RootPublicKey, NSecSignatureVerifier.Instance, out string? error);

        Assert.Null(error);
        Assert.NotNull(parsed);
        Assert.Single(Enumerable.Range(0, parsed.Count).Select(parsed.GetEntry), entry => entry.Revoked);
        Assert.Single(Enumerable.Range(0, parsed.Count).Select(parsed.GetEntry), entry => entry.EventKey);
    }

    public void Dispose()
    {
        _rings.ForEach(ring => ring.Dispose());
        _audit.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_options.DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a folder in the temp directory behind.
        }
    }

    private KeyRing LoadRing()
    {
        var ring = new KeyRing(_database, _options, _clock, _audit, NullLogger<KeyRing>.Instance);
        ring.Load();
        _rings.Add(ring);
        return ring;
    }

    private TokenVerifier Verifier(KeyRing ring)
    {
        var verifier = new TokenVerifier(NSecSignatureVerifier.Instance, _options.EventId, _options.Keys.ClockSkewSeconds);
        verifier.TryInstallKeys(ring.KeyList);
        return verifier;
    }

    private VerifyResult VerifyAt(KeyRing ring, byte[] token, DateTimeOffset now) =>
        Verifier(ring).Verify(token, (uint)now.ToUnixTimeSeconds(), clockReliable: true, gateZone: 0, revocations: null, seen: null);

    private static KeyEntry[] EdgeEntries(KeyList list) =>
        Enumerable.Range(0, list.Count).Select(list.GetEntry).Where(entry => !entry.EventKey).ToArray();

    private TokenClaims Claims(ushort lifetimeSeconds) => new()
    {
        Type = TokenType.Session,
        EventId = _options.EventId,
        LifetimeSeconds = lifetimeSeconds,
        EntitlementId = 5,
        Role = GuestRole.Guest,
    };
}
