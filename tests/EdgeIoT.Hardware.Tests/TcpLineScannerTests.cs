using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware.Simulated;

namespace EdgeIoT.Hardware.Tests;

public sealed class TcpLineScannerTests : IAsyncDisposable
{
    private readonly TcpScannerSimulator _simulator = new();
    private readonly CancellationTokenSource _timeout = TestTimeouts.Create();
    private readonly TcpLineScanner _scanner;
    private readonly IAsyncEnumerator<ScanRead> _reads;

    public TcpLineScannerTests()
    {
        var options = new TcpLineScannerOptions
        {
            Name = "lane-1-qr",
            Port = _simulator.Port,
            Backoff = new ReconnectBackoff { Initial = TimeSpan.FromMilliseconds(20), Maximum = TimeSpan.FromMilliseconds(200) },
        };
        _scanner = new TcpLineScanner(options);
        _reads = _scanner.ReadAllAsync(_timeout.Token).GetAsyncEnumerator(_timeout.Token);
    }

    [Fact]
    public async Task Read_AimAndEciPrefixes_StillDecode()
    {
        var text = QrImagesTests.TokenText(seed: 9);
        var next = NextAsync();
        await _simulator.SendWithAimPrefixAsync(text, _timeout.Token);
        var aim = await next;

        next = NextAsync();
        await _simulator.SendWithEciAsync(text, _timeout.Token);
        var eci = await next;

        Assert.Equal("]Q1" + text, aim.Text);
        Assert.Equal(RejectReason.None, QrText.TryDecode(aim.Text, out _));
        Assert.Equal(RejectReason.None, QrText.TryDecode(eci.Text, out _));
    }

    [Fact]
    public async Task Read_WrongLayout_RejectedAsScannerMisconfigured()
    {
        var next = NextAsync();

        await _simulator.SendWrongLayoutAsync(QrImagesTests.TokenText(seed: 10), _timeout.Token);
        var read = await next;

        Assert.Equal(RejectReason.ScannerMisconfigured, QrText.TryDecode(read.Text, out _));
    }

    [Fact]
    public async Task Read_DoubleRead_YieldsTwoScans()
    {
        var next = NextAsync();

        await _simulator.SendDoubleReadAsync("EI1:AB", _timeout.Token);
        var first = await next;
        var second = await NextAsync();

        Assert.Equal("EI1:AB", first.Text);
        Assert.Equal("EI1:AB", second.Text);
    }

    [Fact]
    public async Task Read_OversizeLine_CountedAndNextLineRead()
    {
        var next = NextAsync();

        await _simulator.SendLineAsync(new string('A', 5000), _timeout.Token);
        await _simulator.SendLineAsync("EI1:AFTER", _timeout.Token);
        var read = await next;

        Assert.Equal("EI1:AFTER", read.Text);
        Assert.Equal(1, _scanner.OversizeLineCount);
    }

    [Fact]
    public async Task Read_SimulatorDropsConnection_ScannerReconnects()
    {
        var next = NextAsync();
        await _simulator.SendLineAsync("EI1:BEFORE", _timeout.Token);
        Assert.Equal("EI1:BEFORE", (await next).Text);

        await _simulator.DropConnectionAsync();
        next = NextAsync();
        await _simulator.SendLineAsync("EI1:AFTER", _timeout.Token);
        var read = await next;

        Assert.Equal("EI1:AFTER", read.Text);
        Assert.Equal(2, _simulator.ConnectionCount);
        Assert.Equal(2, _scanner.ConnectionCount);
    }

    [Fact]
    public async Task Dispose_WhileReading_EndsSequence()
    {
        var next = NextAsync();
        await _simulator.SendLineAsync("EI1:ONE", _timeout.Token);
        await next;
        var pending = _reads.MoveNextAsync().AsTask();

        await _scanner.DisposeAsync();
        var more = await pending.WaitAsync(TestTimeouts.Signal);

        Assert.False(more);
    }

    public async ValueTask DisposeAsync()
    {
        await _timeout.CancelAsync();
        await _reads.DisposeAsync();
        await _scanner.DisposeAsync();
        await _simulator.DisposeAsync();
        _timeout.Dispose();
    }

    private async Task<ScanRead> NextAsync()
    {
        Assert.True(await _reads.MoveNextAsync());
        return _reads.Current;
    }
}
