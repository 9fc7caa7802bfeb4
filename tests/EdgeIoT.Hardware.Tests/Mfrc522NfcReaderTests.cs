using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Hardware.Tests;

/// <summary>
/// The MFRC522 driver (Iot.Device.Mfrc522 over System.Device.Spi) against the simulated MFRC522
/// register set and NTAG215, byte for byte: SPI register accesses in, ISO/IEC 14443-3 frames to
/// the tag, NTAG pages out.
/// </summary>
public sealed class Mfrc522NfcReaderTests : IAsyncDisposable
{
    private const uint EventId = 4242;
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly byte[] BoundUid = [0x04, 0xA2, 0x2B, 0x6A, 0x3C, 0x58, 0x80];
    private static readonly byte[] CopyUid = [0x04, 0x5E, 0x91, 0x0A, 0x77, 0x12, 0x80];

    private readonly Mfrc522Simulator _simulator = new();
    private readonly CancellationTokenSource _timeout = TestTimeouts.Create();
    private readonly Mfrc522NfcReader _reader;
    private readonly ScanSession _session;

    public Mfrc522NfcReaderTests()
    {
        var options = new Mfrc522NfcReaderOptions
        {
            Name = "lane-1-nfc",
            PollInterval = TimeSpan.FromMilliseconds(5),
            Backoff = new ReconnectBackoff { Initial = TimeSpan.FromMilliseconds(20), Maximum = TimeSpan.FromMilliseconds(200) },
        };
        _reader = new Mfrc522NfcReader(options, openSpi: () => _simulator);
        _session = new ScanSession(_reader, _timeout);
    }

    [Fact]
    public async Task Read_TagWithTextRecord_YieldsTokenAndUid()
    {
        string token = QrImagesTests.TokenText(seed: 31);
        _simulator.PlaceTag(SimulatedNtag.WithText(BoundUid, token));

        ScanRead read = await NextAsync();

        Assert.Equal(token, read.Text);
        Assert.Equal(ScanSource.Nfc, read.Source);
        Assert.Equal(BoundUid, read.ChipUid);
        Assert.Equal(1, _reader.ConnectionCount);
    }

    [Fact]
    public async Task Read_Tag_FramesCarryCrc()
    {
        _simulator.PlaceTag(SimulatedNtag.WithText(BoundUid, QrImagesTests.TokenText(seed: 32)));

        await NextAsync();
        byte[][] frames = [.. _simulator.Frames];

        Assert.Equal(0, _simulator.CrcErrorCount);
        Assert.Equal(0, _simulator.AddressErrorCount);
        Assert.Equal([0x26], frames[0]);
        Assert.Equal([0x93, 0x20], frames[1]);
        // SELECT cascade level 1: cascade tag 0x88, UID bytes 0 to 2, BCC, then CRC_A from the chip's coprocessor.
        Assert.Equal([0x93, 0x70, 0x88, 0x04, 0xA2, 0x2B, 0x88 ^ 0x04 ^ 0xA2 ^ 0x2B], frames[2][..7]);
        Assert.Equal([0x95, 0x20], frames[3]);
        Assert.Equal([0x95, 0x70, 0x6A, 0x3C, 0x58, 0x80, 0x6A ^ 0x3C ^ 0x58 ^ 0x80], frames[4][..7]);
        // READ of the capability container page 3, then the data area from page 4.
        Assert.Equal([0x30, 0x03], frames[5][..2]);
        Assert.Equal([0x30, 0x04], frames[6][..2]);
        // HLTA with its well-known CRC_A 57 CD ends the read.
        Assert.Contains(frames, frame => frame.AsSpan().SequenceEqual(new byte[] { 0x50, 0x00, 0x57, 0xCD }));
    }

    [Fact]
    public async Task Read_TagLeftOnReader_ReadOnce()
    {
        string token = QrImagesTests.TokenText(seed: 33);
        _simulator.PlaceTag(SimulatedNtag.WithText(BoundUid, token));
        await NextAsync();
        int framesAfterRead = _simulator.Frames.Count;
        Task<ScanRead> second = NextAsync();

        await WaitForFramesAsync(framesAfterRead + 3);

        Assert.False(second.IsCompleted);
        Assert.All(_simulator.Frames.Skip(framesAfterRead), frame => Assert.Equal([0x26], frame));
        _simulator.PlaceTag(SimulatedNtag.WithText(BoundUid, token));
        Assert.Equal(token, (await second).Text);
    }

    [Fact]
    public async Task Read_BlankTag_CountsTagWithoutToken()
    {
        var noToken = new TaskCompletionSource<NfcTagEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        _reader.TagWithoutToken += (_, args) => noToken.TrySetResult(args);
        _ = NextAsync();

        _simulator.PlaceTag(SimulatedNtag.Blank(BoundUid));
        NfcTagEventArgs tag = await noToken.Task.WaitAsync(_timeout.Token);

        Assert.Equal(7, tag.UidLength);
        Assert.Equal(1, _reader.TagsWithoutTokenCount);
    }

    [Fact]
    public async Task Wristband_BoundChipAdmitted_CopyUidMismatch()
    {
        using SigningKey root = SigningKey.Generate(Now.AddDays(-1), Now.AddDays(1));
        using SigningKey eventKey = SigningKey.Generate(Now.AddHours(-1), Now.AddHours(10));
        TokenVerifier verifier = Verifier(root, eventKey);
        var claims = new TokenClaims { EventId = EventId, LifetimeSeconds = 3600, EntitlementId = 77, Epoch = 1, Role = GuestRole.Guest };
        byte[] tagData = NdefToken.EncodeTagData(TokenIssuer.IssueWristband(claims, eventKey, Now, BoundUid));

        _simulator.PlaceTag(SimulatedNtag.WithTagData(BoundUid, tagData));
        ScanRead genuine = await NextAsync();
        _simulator.PlaceTag(SimulatedNtag.WithTagData(CopyUid, tagData));
        ScanRead copy = await NextAsync();

        Assert.Equal(BoundUid, genuine.ChipUid);
        Assert.Equal(CopyUid, copy.ChipUid);
        Assert.Equal(RejectReason.None, Verify(verifier, genuine));
        Assert.Equal(RejectReason.UidMismatch, Verify(verifier, copy));
    }

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();

        _simulator.Dispose();
        _timeout.Dispose();
    }

    private static TokenVerifier Verifier(SigningKey root, SigningKey eventKey)
    {
        byte[] signedList = TokenIssuer.SignKeyList(new KeyList(1, EventId, [TokenIssuer.ToEventKeyEntry(eventKey)]), root);
        KeyList keys = KeyList.TryParseSigned(signedList, root.PublicKey, NSecSignatureVerifier.Instance, out string error)
            ?? throw new InvalidOperationException(error);
        var verifier = new TokenVerifier(NSecSignatureVerifier.Instance, EventId, skewSeconds: 5);
        Assert.True(verifier.TryInstallKeys(keys));
        return verifier;
    }

    private static RejectReason Verify(TokenVerifier verifier, ScanRead read)
    {
        Assert.Equal(RejectReason.None, QrText.TryDecode(read.Text, out byte[] credential));
        return verifier.Verify(
            credential, read.ChipUid, (uint)Now.ToUnixTimeSeconds(), clockReliable: true, gateZone: 0, revocations: null, seen: null).Reason;
    }

    private async Task WaitForFramesAsync(int count)
    {
        while (_simulator.Frames.Count < count)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), _timeout.Token);
        }
    }

    private Task<ScanRead> NextAsync() => _session.NextAsync();
}
