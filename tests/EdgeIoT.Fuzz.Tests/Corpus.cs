using System.Text;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Fuzz.Tests;

/// <summary>
/// Valid inputs for every parser, made fresh for each run with generated keys: the starting
/// points the mutator breaks.
/// </summary>
internal sealed class Corpus : IDisposable
{
    public const uint EventId = 9001;
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);

    public Corpus()
    {
        Root = SigningKey.Generate(Now.AddDays(-1), Now.AddDays(1));
        EdgeKey = SigningKey.Generate(Now.AddHours(-1), Now.AddHours(1));
        SignedKeyList = TokenIssuer.SignKeyList(new KeyList(7, EventId, [TokenIssuer.ToKeyEntry(EdgeKey)]), Root);
        Tokens = [.. Enumerable.Range(1, 8).Select(i => TokenIssuer.Issue(Claims((uint)i, (GuestRole)(1 + (i % 5))), EdgeKey, Now))];
        Verifier = new TokenVerifier(NSecSignatureVerifier.Instance, EventId, skewSeconds: 20);
        KeyList keys = KeyList.TryParseSigned(SignedKeyList, Root.PublicKey, NSecSignatureVerifier.Instance, out string error)
            ?? throw new InvalidOperationException(error);
        if (!Verifier.TryInstallKeys(keys))
        {
            throw new InvalidOperationException("The generated key list was refused.");
        }
    }

    public SigningKey Root { get; }

    public SigningKey EdgeKey { get; }

    public byte[] SignedKeyList { get; }

    public IReadOnlyList<byte[]> Tokens { get; }

    public TokenVerifier Verifier { get; }

    public uint NowSeconds => (uint)Now.ToUnixTimeSeconds();

    public IReadOnlyList<byte[]> QrTexts =>
        [.. Tokens.Select(token => Encoding.ASCII.GetBytes(QrText.Encode(token))),
         Encoding.ASCII.GetBytes("]Q1" + QrText.Encode(Tokens[0]) + "\r\n")];

    public static IReadOnlyList<byte[]> Snapshots =>
    [
        EntitlementSnapshot.Encode(3, EventId,
        [
            new EntitlementRecord { EntitlementId = 1, Tier = MembershipTier.Standard, Payment = PaymentStatus.Paid, SingleEntry = true, Epoch = 1 },
            new EntitlementRecord { EntitlementId = 2, Tier = MembershipTier.Vip, Payment = PaymentStatus.Pending, Epoch = 2 },
            new EntitlementRecord { EntitlementId = 9, Tier = MembershipTier.Member, Payment = PaymentStatus.Refunded, Cancelled = true, Epoch = 5 },
        ]),
        EntitlementSnapshot.Encode(1, EventId, []),
    ];

    public static IReadOnlyList<byte[]> PolicyFiles =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot, "simulators", "data", "policies"), "*.json").Select(File.ReadAllBytes)];

    public static IReadOnlyList<byte[]> EventPayloads =>
    [
        ProtocolJson.Serialize(new EdgeEvent
        {
            EventId = "lane-1:b0:42", DeviceId = "lane-1", DeviceClass = "agent", BootId = "b0", Seq = 42,
            Kind = EventKinds.Decision, DeviceTimeMs = 1_800_000_000_000, Outcome = "admit", Reason = "none",
            Mode = "offline", PolicyVersion = "venue-default@1#4859015f05ff5077", PolicyRule = "paid-guest",
            EntitlementId = 12, TokenId = "0a0b0c0d", Role = "guest", LatencyMicros = 900, SingleEntry = true,
            Nonce = "n-42",
        }),
        ProtocolJson.Serialize(new EdgeEvent
        {
            EventId = "lane-2:b1:7", DeviceId = "lane-2", DeviceClass = "firmware", BootId = "b1", Seq = 7,
            Kind = EventKinds.Payment, DeviceTimeMs = 1_800_000_000_500, AmountMinor = 1250, Currency = "EUR",
            EntitlementId = 3001, DelegatorId = 3000, OfferId = 4,
        }),
    ];

    public static IReadOnlyList<byte[]> CheckRequests =>
    [
        ProtocolJson.Serialize(new CheckRequest { DeviceId = "lane-1", Nonce = "n-1", Token = "EI1:ABC", Zone = 1 }),
    ];

    public static IReadOnlyList<byte[]> DeviceBundles =>
    [
        Encoding.UTF8.GetBytes("""
            {"format":"edgeiot-device-bundle","version":1,"deviceId":"esp32-gate-01","venue":"popup","eventId":7,
             "zone":2,"hubUrl":"http://127.0.0.1:5080","rootPublicKey":"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
             "mqtt":{"host":"127.0.0.1","port":1883,"username":"esp32-gate-01","password":"generated-for-fuzzing"},
             "wifi":{"ssid":"venue-staff","password":"generated-for-fuzzing"}}
            """),
    ];

    public static IReadOnlyList<byte[]> GuestFiles =>
    [
        Encoding.UTF8.GetBytes(string.Join("\n", File.ReadLines(Path.Combine(RepositoryRoot, "simulators", "data", "guests.csv")).Take(40))),
        Encoding.UTF8.GetBytes("Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status\r\n\"A-1\",\"Lee, \"\"Sam\"\"\",s@example.test,Weekend Re-entry,member,paid\r\n"),
    ];

    public static string RepositoryRoot
    {
        get
        {
            var folder = new DirectoryInfo(AppContext.BaseDirectory);
            while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "EdgeIoT.sln")))
            {
                folder = folder.Parent;
            }

            return folder?.FullName ?? throw new InvalidOperationException(
                $"No EdgeIoT.sln above {AppContext.BaseDirectory}; run the tests from the repository.");
        }
    }

    public static TokenClaims Claims(uint entitlementId, GuestRole role) => new()
    {
        Type = TokenType.Session,
        EventId = EventId,
        LifetimeSeconds = 120,
        EntitlementId = entitlementId,
        Epoch = 1,
        Role = role,
        Zone = 0,
        OfferId = 2,
        SpendAllowanceMinor = 5000,
    };

    public void Dispose()
    {
        Root.Dispose();
        EdgeKey.Dispose();
    }
}
