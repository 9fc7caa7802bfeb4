using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tests.Policy;
using EdgeIoT.Firmware.Tests.Queue;
using EdgeIoT.Firmware.Tests.Tokens;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.PolicyCases;
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
        _app = new TurnstileApp(
            _tokens.GateConfig(Venue), NSecSignatureVerifier.Instance, new RamFlashStorage(512, 8), new RecordingGatePins(), _transport, _clock);
    }

    public void Dispose() => _tokens.Dispose();

    [Theory]
    [MemberData(nameof(PolicyCase.EntryRows), MemberType = typeof(PolicyCase))]
    public void VenueDefault_EntryRow_DecidesAsListed(string text)
    {
        PolicyCase row = PolicyCase.Parse(text);
        SendRetained(row.Input.EntitlementKnown, row.Input.Tier, row.Input.Payment);
        TimeSpan offline = TimeSpan.FromSeconds(row.Input.OfflineSeconds);
        _clock.Advance(offline);
        TokenClaims claims = TokenFixture.Claims(EntitlementId, row.Input.Role);
        claims.SpendAllowanceMinor = row.Input.SpendAllowanceMinor;
        byte[] token = _tokens.Issue(claims, TokenFixture.Now + offline);

        FirmwareDecision decision = _app.OnScanLine(QrText.Encode(token), _clock.UnixMilliseconds, _clock.MonotonicTicks)!;

        Assert.NotNull(decision);
        Assert.Equal(row.Grants, decision.Admitted);
        Assert.Equal(row.Rule, decision.PolicyRule);
        Assert.Equal(row.Reason, RejectReasons.ToCode(decision.Reason));
        Assert.Equal(_app.PolicyVersion, decision.PolicyVersion);
        EdgeEvent stored = PublishStoredEvent();
        Assert.Equal("offline", stored.Mode);
        Assert.Equal(decision.PolicyRule, stored.PolicyRule);
        Assert.Equal(decision.PolicyVersion, stored.PolicyVersion);
        row.AssertRecordedInputs(stored.PolicyInputs);
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
