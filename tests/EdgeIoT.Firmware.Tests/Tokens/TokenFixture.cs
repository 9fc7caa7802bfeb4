using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Firmware.Tests.Tokens;

/// <summary>A venue root key, one edge signing key and a verifier holding the signed key list.</summary>
internal sealed class TokenFixture : IDisposable
{
    public const uint EventId = 4242;
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    public TokenFixture()
    {
        Root = SigningKey.Generate(Now.AddDays(-30), Now.AddDays(30));
        EdgeKey = SigningKey.Generate(Now.AddHours(-1), Now.AddHours(1));
        EventKey = SigningKey.Generate(Now.AddHours(-2), Now.AddHours(10));
        SignedKeyList = SignKeys(version: 3, TokenIssuer.ToKeyEntry(EdgeKey), TokenIssuer.ToEventKeyEntry(EventKey));
        Verifier = new TokenVerifier(NSecSignatureVerifier.Instance, EventId, skewSeconds: 5);
        KeyList keys = KeyList.TryParseSigned(SignedKeyList, Root.PublicKey, NSecSignatureVerifier.Instance, out string error)
            ?? throw new InvalidOperationException(error);
        Assert.True(Verifier.TryInstallKeys(keys));
    }

    public SigningKey Root { get; }

    public SigningKey EdgeKey { get; }

    /// <summary>Signs passes and delegation certificates, from 2 h before <see cref="Now"/> to 10 h after.</summary>
    public SigningKey EventKey { get; }

    public byte[] SignedKeyList { get; }

    public TokenVerifier Verifier { get; }

    public uint NowSeconds => (uint)Now.ToUnixTimeSeconds();

    /// <summary>
    /// Returns the settings of the test gate "gate-1" at <paramref name="venue"/>, trusting this
    /// fixture's root key, after <paramref name="adjust"/> changed what one test needs.
    /// </summary>
    public TurnstileConfig GateConfig(string venue, Action<TurnstileConfig>? adjust = null)
    {
        var config = new TurnstileConfig
        {
            DeviceId = "gate-1",
            Venue = venue,
            EventId = EventId,
            RootPublicKey = Root.PublicKey,
            BootId = "boot1",
        };
        adjust?.Invoke(config);
        return config;
    }

    public static TokenClaims Claims(uint entitlementId = 77, GuestRole role = GuestRole.Guest, byte zone = 0, ushort epoch = 1) => new()
    {
        Type = TokenType.Session,
        EventId = EventId,
        LifetimeSeconds = 120,
        EntitlementId = entitlementId,
        Epoch = epoch,
        Role = role,
        Zone = zone,
        OfferId = 3,
        SpendAllowanceMinor = 2500,
    };

    /// <summary>Returns a time beacon JSON payload signed by the edge key, as the hub publishes it.</summary>
    public byte[] SignedBeacon(long hubTimeMs, SigningKey? key = null, uint epoch = 0)
    {
        SigningKey signer = key ?? EdgeKey;
        byte[] signature = new byte[TokenLayout.SignatureLength];
        signer.Sign(TimeBeaconSignature.Message(EventId, epoch, hubTimeMs), signature);
        return System.Text.Encoding.UTF8.GetBytes(
            "{\"hubTimeMs\":" + hubTimeMs + ",\"epoch\":" + epoch + ",\"kid\":\"" + KeyIds.ToHex(signer.KeyId) + "\",\"signature\":\""
            + Convert.ToHexStringLower(signature) + "\"}");
    }

    public byte[] Issue(TokenClaims? claims = null, DateTimeOffset? at = null) =>
        TokenIssuer.Issue(claims ?? Claims(), EdgeKey, at ?? Now);

    public byte[] SignKeys(uint version, params KeyEntry[] entries) =>
        TokenIssuer.SignKeyList(new KeyList(version, EventId, entries), Root);

    public VerifyResult Verify(byte[] token, uint? now = null, bool clockReliable = true, byte zone = 0,
        IRevocationCheck? revocations = null, SeenSet? seen = null) =>
        Verifier.Verify(token, now ?? NowSeconds, clockReliable, zone, revocations, seen);

    public static EntitlementSnapshot Snapshot(params EntitlementRecord[] records) =>
        EntitlementSnapshot.TryParse(EntitlementSnapshot.Encode(1, EventId, records), out _)!;

    public void Dispose()
    {
        Root.Dispose();
        EdgeKey.Dispose();
        EventKey.Dispose();
    }
}
