using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Hardware.Tests;

/// <summary>
/// The PN532 driver against the simulated PN532 and NTAG215, with a wristband credential bound
/// to the chip UID. The driver must pass on the UID it got from anticollision, so a copy of the
/// same NDEF bytes on another chip is denied.
/// </summary>
public sealed class Pn532WristbandTests : IAsyncDisposable
{
    private const uint EventId = 4242;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly byte[] BoundUid = [0x04, 0xA2, 0x2B, 0x6A, 0x3C, 0x58, 0x80];
    private static readonly byte[] CopyUid = [0x04, 0x5E, 0x91, 0x0A, 0x77, 0x12, 0x80];

    private readonly Pn532Simulator _simulator = new();
    private readonly CancellationTokenSource _timeout = TestTimeouts.Create();
    private readonly Pn532NfcReader _reader;
    private readonly ScanSession _session;
    private readonly SigningKey _root = SigningKey.Generate(Now.AddDays(-1), Now.AddDays(1));
    private readonly SigningKey _eventKey = SigningKey.Generate(Now.AddHours(-1), Now.AddHours(10));
    private readonly TokenVerifier _verifier = new(NSecSignatureVerifier.Instance, EventId, skewSeconds: 5);

    public Pn532WristbandTests()
    {
        var options = new Pn532NfcReaderOptions
        {
            Name = "lane-1-nfc",
            PortName = _simulator.PortName,
            PollInterval = TimeSpan.FromMilliseconds(10),
            Backoff = new ReconnectBackoff { Initial = TimeSpan.FromMilliseconds(20), Maximum = TimeSpan.FromMilliseconds(200) },
        };
        _reader = new Pn532NfcReader(options);
        _session = new ScanSession(_reader, _timeout);

        byte[] signedList = TokenIssuer.SignKeyList(new KeyList(1, EventId, [TokenIssuer.ToEventKeyEntry(_eventKey)]), _root);
        KeyList keys = KeyList.TryParseSigned(signedList, _root.PublicKey, NSecSignatureVerifier.Instance, out string error)
            ?? throw new InvalidOperationException(error);
        Assert.True(_verifier.TryInstallKeys(keys));
    }

    [Fact]
    public async Task Wristband_BoundChip_IsAdmitted()
    {
        byte[] message = NdefToken.Encode(IssueWristband(BoundUid));
        _simulator.PlaceTag(SimulatedNtag.WithNdefMessage(BoundUid, message));

        ScanRead read = await NextAsync();

        Assert.Equal(ScanSource.Nfc, read.Source);
        Assert.Equal(BoundUid, read.ChipUid);
        Assert.Equal(RejectReason.None, Verify(read).Reason);
    }

    [Fact]
    public async Task Wristband_OtherChip_UidMismatch()
    {
        byte[] message = NdefToken.Encode(IssueWristband(BoundUid));
        _simulator.PlaceTag(SimulatedNtag.WithNdefMessage(BoundUid, message));
        ScanRead genuine = await NextAsync();

        // The reader reads a tag again as soon as another UID responds to anticollision.
        _simulator.PlaceTag(SimulatedNtag.WithNdefMessage(CopyUid, message));
        ScanRead copy = await NextAsync();

        Assert.Equal(genuine.Text, copy.Text);
        Assert.Equal(CopyUid, copy.ChipUid);
        Assert.Equal(RejectReason.UidMismatch, Verify(copy).Reason);
    }

    [Fact]
    public async Task Wristband_Read_EveryPageRead()
    {
        byte[] tagData = NdefToken.EncodeTagData(IssueWristband(BoundUid));
        _simulator.PlaceTag(SimulatedNtag.WithNdefMessage(BoundUid, NdefToken.Encode(IssueWristband(BoundUid))));

        await NextAsync();
        byte[][] commands = [.. _simulator.Commands];

        // 135 bytes of tag data from page 4 need READ (InDataExchange 0x40, NTAG 0x30) of pages 4, 8, ... 36.
        int lastPage = 4 + ((tagData.Length - 1) / 4);
        for (int page = 4; page <= lastPage; page += 4)
        {
            Assert.Contains(commands, command => command.AsSpan().SequenceEqual(new byte[] { 0x40, 0x01, 0x30, (byte)page }));
        }

        Assert.Equal(0, _simulator.ChecksumErrorCount);
    }

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();

        _simulator.Dispose();
        _timeout.Dispose();
        _root.Dispose();
        _eventKey.Dispose();
    }

    private byte[] IssueWristband(byte[] uid)
    {
        var claims = new TokenClaims
        {
            EventId = EventId,
            LifetimeSeconds = 3600,
            EntitlementId = 77,
            Epoch = 1,
            Role = GuestRole.Guest,
        };
        return TokenIssuer.IssueWristband(claims, _eventKey, Now, uid);
    }

    private VerifyResult Verify(ScanRead read)
    {
        Assert.Equal(RejectReason.None, QrText.TryDecode(read.Text, out byte[] credential));
        return _verifier.Verify(
            credential, read.ChipUid, (uint)Now.ToUnixTimeSeconds(), clockReliable: true, gateZone: 0, revocations: null, seen: null);
    }

    private Task<ScanRead> NextAsync() => _session.NextAsync();
}
