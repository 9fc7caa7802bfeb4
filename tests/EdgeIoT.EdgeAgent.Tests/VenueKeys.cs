using System.Text;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.EdgeAgent.Tests;

/// <summary>A venue's generated root, edge and event keys, its signed key list, and token issuance for tests.</summary>
internal sealed class VenueKeys : IDisposable
{
    public const uint EventId = 42;

    /// <summary>Offline rules of the tests: paid guests and walk-ins (capped at 3000) enter, others are denied.</summary>
    public const string PolicyText = """
        {
          "policyId": "test-policy",
          "version": 3,
          "guardrails": {
            "maxOfflineAdmitsPerDevice": 100,
            "maxOfflineSpendPerTokenMinor": 5000,
            "maxOfflineSpendPerDeviceMinor": 100000,
            "forwardPaymentsWithinSeconds": 3600
          },
          "rules": [
            { "name": "paid-guests", "when": { "role": ["guest"], "payment": ["paid"] }, "outcome": "grant" },
            { "name": "walk-ins", "when": { "role": ["walk_in", "creator_assistant"] }, "outcome": "grant_limited", "spendLimitMinor": 3000 },
            { "name": "default-deny", "when": {}, "outcome": "deny", "reason": "policy_denied" }
          ]
        }
        """;

    public VenueKeys()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Root = SigningKey.Generate(now.AddDays(-1), now.AddDays(1));
        Edge = SigningKey.Generate(now.AddHours(-1), now.AddHours(1));
        EventKey = SigningKey.Generate(now.AddHours(-1), now.AddHours(10));
        SignedKeyList = TokenIssuer.SignKeyList(
            new KeyList(1, EventId, [TokenIssuer.ToKeyEntry(Edge), TokenIssuer.ToEventKeyEntry(EventKey)]), Root);
    }

    public SigningKey Root { get; }

    public SigningKey Edge { get; }

    /// <summary>Signs the delegation certificates that delegated tokens carry.</summary>
    public SigningKey EventKey { get; }

    public byte[] SignedKeyList { get; }

    public string RootPublicKeyBase64 => Convert.ToBase64String(Root.PublicKey);

    public static byte[] Policy => Encoding.UTF8.GetBytes(PolicyText);

    /// <summary>Snapshot with paid guest 1001, pending guest 1002 and walk-in 2001.</summary>
    public static byte[] Snapshot() => EntitlementSnapshot.Encode(7, EventId,
    [
        new EntitlementRecord { EntitlementId = 1001, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid, SingleEntry = true },
        new EntitlementRecord { EntitlementId = 1002, Tier = MembershipTier.Standard, Payment = PaymentStatus.Pending },
        new EntitlementRecord { EntitlementId = 2001, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid },
    ]);

    public string Issue(
        uint entitlementId, GuestRole role = GuestRole.Guest, uint spendAllowanceMinor = 0, uint delegatorId = 0)
    {
        var claims = new TokenClaims
        {
            Type = delegatorId == 0 ? TokenType.Session : TokenType.Delegated,
            EventId = EventId,
            LifetimeSeconds = 120,
            EntitlementId = entitlementId,
            Role = role,
            SpendAllowanceMinor = spendAllowanceMinor,
            DelegatorId = delegatorId,
        };
        byte[] token = TokenIssuer.Issue(claims, Edge, DateTimeOffset.UtcNow);
        if (delegatorId == 0)
        {
            return QrText.Encode(token);
        }

        // A delegated token is valid only with its delegation certificate, appended as the hub does.
        var certificate = new DelegationCertificate
        {
            EventId = EventId,
            AssistantId = entitlementId,
            CreatorId = delegatorId,
            Role = role,
            SpendLimitMinor = spendAllowanceMinor,
            NotBeforeUnixSeconds = (uint)EventKey.NotBefore.ToUnixTimeSeconds(),
            NotAfterUnixSeconds = (uint)EventKey.NotAfter.ToUnixTimeSeconds(),
        };
        return QrText.Encode([.. token, .. TokenIssuer.SignDelegation(certificate, EventKey)]);
    }

    /// <summary>Issues a valid token, then flips one signature bit, as a forger without the key would produce.</summary>
    public string Forge(uint entitlementId)
    {
        byte[] token = TokenIssuer.Issue(
            new TokenClaims { Type = TokenType.Session, EventId = EventId, LifetimeSeconds = 120, EntitlementId = entitlementId, Role = GuestRole.Guest },
            Edge,
            DateTimeOffset.UtcNow);
        token[TokenLayout.SignatureOffset + 5] ^= 0x01;
        return QrText.Encode(token);
    }

    public void Dispose()
    {
        Root.Dispose();
        Edge.Dispose();
        EventKey.Dispose();
    }
}
