using System.Globalization;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tests.Policy;
using EdgeIoT.Firmware.Tests.Queue;
using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Firmware.Tests.App;

/// <summary>
/// Runs the shared policy case table through the ESP32's whole TurnstileApp. The app gets the
/// key list, snapshot, policy and a signed time beacon from the hub, then loses the hub for the
/// row's offline time, and a token with the row's role and allowance is scanned.
/// </summary>
public sealed class TurnstileAppCaseTableTests : IDisposable
{
    private const string Venue = "arena";
    private const uint EntitlementId = 5001;
    private readonly TokenFixture _tokens = new();
    private readonly ManualDeviceClock _clock = new();
    private readonly ManualTransport _transport = new();
    private readonly TurnstileApp _app;

    public TurnstileAppCaseTableTests()
    {
        _clock.UnixMilliseconds = TokenFixture.Now.ToUnixTimeMilliseconds();
        var config = new TurnstileConfig
        {
            DeviceId = "gate-1",
            Venue = Venue,
            EventId = TokenFixture.EventId,
            RootPublicKey = _tokens.Root.PublicKey,
            BootId = "boot1",
        };
        _app = new TurnstileApp(
            config, NSecSignatureVerifier.Instance, new RamFlashStorage(512, 8), new RecordingGatePins(), _transport, _clock);
    }

    /// <summary>
    /// Rows an entry scan can express. Rows with spend are purchases, and rows with earlier
    /// offline admits need that many admits first, so the evaluator's table test covers those.
    /// </summary>
    public static TheoryData<string> EntryRows()
    {
        var data = new TheoryData<string>();
        foreach (string line in File.ReadAllLines(PolicyFiles.PathOf("venue-default.cases.tsv")))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] c = line.Split('\t');
            if (c[5] == "0" && c[6] == "0" && c[7] == "0" && c[9] == "0")
            {
                data.Add(line);
            }
        }

        return data;
    }

    public void Dispose() => _tokens.Dispose();

    [Theory]
    [MemberData(nameof(EntryRows))]
    public void VenueDefault_EntryRow_DecidesAsListed(string row)
    {
        string[] c = row.Split('\t');
        bool known = bool.Parse(c[3]);
        SendRetained(known, PolicyCodes.ParseTier(c[1]), PolicyCodes.ParsePayment(c[2]));
        TimeSpan offline = TimeSpan.FromSeconds(uint.Parse(c[4], CultureInfo.InvariantCulture));
        _clock.Advance(offline);
        TokenClaims claims = TokenFixture.Claims(EntitlementId, PolicyCodes.ParseRole(c[0]));
        claims.SpendAllowanceMinor = uint.Parse(c[8], CultureInfo.InvariantCulture);
        byte[] token = _tokens.Issue(claims, TokenFixture.Now + offline);

        FirmwareDecision decision = _app.OnScanLine(QrText.Encode(token), _clock.UnixMilliseconds, _clock.MonotonicTicks)!;

        Assert.NotNull(decision);
        Assert.Equal(c[10] != "deny", decision.Admitted);
        Assert.Equal(c[11], decision.PolicyRule);
        Assert.Equal(c[12], RejectReasons.ToCode(decision.Reason));
        Assert.Equal(_app.PolicyVersion, decision.PolicyVersion);
        EdgeEvent stored = PublishStoredEvent();
        Assert.Equal("offline", stored.Mode);
        Assert.Equal(decision.PolicyRule, stored.PolicyRule);
        Assert.Equal(decision.PolicyVersion, stored.PolicyVersion);
        string[] inputs = stored.PolicyInputs!.Split(',');
        Assert.Equal(c[0], inputs[0]);
        Assert.Equal(c[3..10], inputs[3..10]);
        if (known)
        {
            Assert.Equal(c[1..3], inputs[1..3]);
        }
    }

    private void SendRetained(bool known, MembershipTier tier, PaymentStatus payment)
    {
        var record = new EntitlementRecord
        {
            EntitlementId = known ? EntitlementId : EntitlementId + 1,
            Tier = tier,
            Payment = payment,
            SingleEntry = true,
            Epoch = 1,
        };
        Assert.True(_app.OnMessage(FirmwareTopics.Keys(Venue), _tokens.SignedKeyList));
        Assert.True(_app.OnMessage(FirmwareTopics.Snapshot(Venue), EntitlementSnapshot.Encode(1, TokenFixture.EventId, [record])));
        Assert.True(_app.OnMessage(FirmwareTopics.Policy(Venue), PolicyFiles.VenueDefaultBytes()));
        Assert.True(_app.OnMessage(FirmwareTopics.Time(Venue), _tokens.SignedBeacon(TokenFixture.Now.ToUnixTimeMilliseconds())));
    }

    /// <summary>Reconnects to the hub and returns the decision event the app publishes from its flash queue.</summary>
    private EdgeEvent PublishStoredEvent()
    {
        _transport.IsConnected = true;
        _app.Tick();
        _transport.AcknowledgeAll();
        (string _, byte[] payload, bool _) = Assert.Single(_transport.Acknowledged);
        return ProtocolJson.Deserialize<EdgeEvent>(payload);
    }
}
