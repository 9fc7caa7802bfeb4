using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware.Simulated;

namespace EdgeIoT.Hardware.Tests;

public sealed class Pn532NfcReaderTests : IAsyncDisposable
{
    private static readonly byte[] WristbandUid = [0x04, 0xA2, 0x2B, 0x6A, 0x3C, 0x58, 0x80];
    private static readonly byte[] CardUid = [0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66];

    private readonly Pn532Simulator _simulator = new();
    private readonly CancellationTokenSource _timeout = TestTimeouts.Create();
    private readonly RecordingLogger<Pn532NfcReader> _logger = new();
    private readonly Pn532NfcReader _reader;
    private readonly ScanSession _session;

    public Pn532NfcReaderTests()
    {
        var options = new Pn532NfcReaderOptions
        {
            Name = "lane-1-nfc",
            PortName = _simulator.PortName,
            PollInterval = TimeSpan.FromMilliseconds(10),
            Backoff = new ReconnectBackoff { Initial = TimeSpan.FromMilliseconds(20), Maximum = TimeSpan.FromMilliseconds(200) },
        };
        _reader = new Pn532NfcReader(options, logger: _logger);
        _session = new ScanSession(_reader, _timeout);
    }

    [Fact]
    public async Task Read_TagWithTokenRecord_YieldsTokenAsNfcScan()
    {
        string token = QrImagesTests.TokenText(seed: 21);
        _simulator.PlaceTag(SimulatedNtag.WithText(CardUid, token));

        ScanRead read = await NextAsync();

        Assert.Equal(token, read.Text);
        Assert.Equal(ScanSource.Nfc, read.Source);
        Assert.Equal(RejectReason.None, QrText.TryDecode(read.Text, out _));
    }

    [Fact]
    public async Task Read_TagLeftOnReader_ReadOnceUntilRemoved()
    {
        string token = QrImagesTests.TokenText(seed: 22);
        _simulator.PlaceTag(SimulatedNtag.WithText(CardUid, token));
        await NextAsync();
        Task<ScanRead> second = NextAsync();

        for (int i = 0; i < 3; i++)
        {
            Assert.True(await _simulator.NextPollAsync().WaitAsync(_timeout.Token));
        }

        Assert.False(second.IsCompleted);
        _simulator.RemoveTag();
        Assert.False(await _simulator.NextPollAsync().WaitAsync(_timeout.Token));
        _simulator.PlaceTag(SimulatedNtag.WithText(CardUid, token));
        Assert.Equal(token, (await second).Text);
    }

    [Fact]
    public async Task Read_BlankWristband_RaisesTagWithoutTokenAndYieldsNothing()
    {
        var noToken = new TaskCompletionSource<NfcTagEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        _reader.TagWithoutToken += (_, args) => noToken.TrySetResult(args);
        Task<ScanRead> next = NextAsync();

        _simulator.PlaceTag(SimulatedNtag.Blank(WristbandUid));
        NfcTagEventArgs tag = await noToken.Task.WaitAsync(_timeout.Token);

        Assert.Equal(7, tag.UidLength);
        Assert.Equal("lane-1-nfc", tag.Reader);
        Assert.Equal(1, _reader.TagsWithoutTokenCount);
        Assert.False(next.IsCompleted);
        Assert.DoesNotContain(_logger.Entries, entry => entry.Message.Contains("04A22B", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Read_TagWithToken_DriverSendsPn532FramesAndNtagReads()
    {
        _simulator.PlaceTag(SimulatedNtag.WithText(CardUid, QrImagesTests.TokenText(seed: 23)));

        await NextAsync();
        byte[][] commands = [.. _simulator.Commands];

        Assert.Equal(0, _simulator.ChecksumErrorCount);
        Assert.Contains(commands, command => command[0] == 0x14);
        Assert.Contains(commands, command => command[0] == 0x02);
        // RFConfiguration item 5 (MaxRetries): MxRtyATR 2 and MxRtyPSL 1 (binding defaults), MxRtyPassiveActivation 2.
        Assert.Contains(commands, command => command.AsSpan().SequenceEqual(new byte[] { 0x32, 0x05, 0x02, 0x01, 0x02 }));
        // InListPassiveTarget: one target, 106 kbps type A.
        Assert.Contains(commands, command => command.AsSpan().SequenceEqual(new byte[] { 0x4A, 0x01, 0x00 }));
        // InDataExchange to target 1: READ page 3 (capability container), then page 4 onwards.
        Assert.Contains(commands, command => command.AsSpan().SequenceEqual(new byte[] { 0x40, 0x01, 0x30, 0x03 }));
        Assert.Contains(commands, command => command.AsSpan().SequenceEqual(new byte[] { 0x40, 0x01, 0x30, 0x04 }));
        Assert.Contains(commands, command => command.AsSpan().SequenceEqual(new byte[] { 0x52, 0x01 }));
    }

    [Fact]
    public async Task Read_NdefMessageWithoutTextRecord_CountsTagWithoutToken()
    {
        var noToken = new TaskCompletionSource<NfcTagEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        _reader.TagWithoutToken += (_, args) => noToken.TrySetResult(args);
        _ = NextAsync();

        // One URI record (TNF 1, type "U") for https://example.org.
        byte[] uriMessage = [0xD1, 0x01, 0x0C, (byte)'U', 0x04, .. "example.org"u8];
        _simulator.PlaceTag(SimulatedNtag.WithNdefMessage(CardUid, uriMessage));
        NfcTagEventArgs tag = await noToken.Task.WaitAsync(_timeout.Token);

        Assert.Contains("no token record", tag.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Decoder_TextRecordFromBinding_MatchesSimulatedTagBytes()
    {
        string token = QrImagesTests.TokenText(seed: 24);
        byte[] encoded = NdefTextTokenDecoder.Encode(token);
        SimulatedNtag tag = SimulatedNtag.WithText(CardUid, token);

        byte[] onTag = tag.Memory.AsSpan(16 + 2, encoded.Length).ToArray();

        Assert.Equal(encoded, onTag);
        Assert.True(NdefTextTokenDecoder.Instance.TryDecode(encoded, out string? decoded));
        Assert.Equal(token, decoded);
    }

    [Fact]
    public void Ntag_TlvWithThreeByteLength_FindsMessage()
    {
        byte[] message = new byte[300];
        message[0] = 0xAB;
        byte[] area = [0x00, 0x03, 0xFF, 0x01, 0x2C, .. message, 0xFE];

        Assert.True(Ntag21x.TryFindNdefTlv(area, out byte[]? found, out bool needMore));

        Assert.False(needMore);
        Assert.Equal(300, found.Length);
        Assert.Equal(0xAB, found[0]);
    }

    [Fact]
    public void Ntag_TruncatedTlv_AsksForMoreBytes()
    {
        byte[] area = [0x03, 0x40, 0xD1, 0x01];

        Assert.False(Ntag21x.TryFindNdefTlv(area, out _, out bool needMore));

        Assert.True(needMore);
    }

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();

        _simulator.Dispose();
        _timeout.Dispose();
    }

    private Task<ScanRead> NextAsync() => _session.NextAsync();
}
