using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware.Simulated;

namespace EdgeIoT.Hardware.Tests;

public sealed class EvdevKeyboardScannerTests : IAsyncDisposable
{
    private readonly CancellationTokenSource _timeout = TestTimeouts.Create();
    private SimulatedHidScanner? _device;
    private EvdevKeyboardScanner? _scanner;
    private IAsyncEnumerator<ScanRead>? _reads;
    private Task _inFlight = Task.CompletedTask;

    [Fact]
    public async Task Read_ScannerAndHostBothUs_YieldsTokenText()
    {
        Start(scannerLayout: "us", hostLayout: "us");
        string token = QrImagesTests.TokenText(seed: 31);
        Task<ScanRead> next = NextAsync();

        await _device!.TypeLineAsync(token, _timeout.Token);
        ScanRead read = await next;

        Assert.Equal(token, read.Text);
        Assert.Equal(RejectReason.None, QrText.TryDecode(read.Text, out _));
        Assert.Equal(1, _device.Opener.GrabRequestCount);
    }

    [Fact]
    public async Task Read_ScannerAndHostBothGerman_YieldsTokenText()
    {
        Start(scannerLayout: "de", hostLayout: "de");
        string token = QrImagesTests.TokenText(seed: 32);
        Task<ScanRead> next = NextAsync();

        await _device!.TypeLineAsync(token, _timeout.Token);

        Assert.Equal(token, (await next).Text);
    }

    [Theory]
    [InlineData("de", "us")]
    [InlineData("us", "de")]
    public async Task Read_ScannerOnOtherLayout_RejectedAsScannerMisconfigured(string scannerLayout, string hostLayout)
    {
        Start(scannerLayout, hostLayout);
        Task<ScanRead> next = NextAsync();

        await _device!.TypeLineAsync(QrImagesTests.TokenText(seed: 33), _timeout.Token);
        ScanRead read = await next;

        Assert.Equal(RejectReason.ScannerMisconfigured, QrText.TryDecode(read.Text, out _));
    }

    [Fact]
    public async Task Read_IdleScannerCancelled_EndsWithoutKeystroke()
    {
        // An agent stopping with an idle HID scanner must not wait for the next key press.
        _device = new SimulatedHidScanner();
        using var stopping = new CancellationTokenSource();
        _scanner = new EvdevKeyboardScanner(new EvdevKeyboardScannerOptions { DevicePath = _device.DevicePath }, _device.Opener);
        IAsyncEnumerator<ScanRead> reads = _scanner.ReadAllAsync(stopping.Token).GetAsyncEnumerator(stopping.Token);
        Task<bool> waiting = reads.MoveNextAsync().AsTask();
        while (_device.Opener.GrabRequestCount == 0)
        {
            await Task.Delay(10, _timeout.Token);
        }

        // Long enough for the driver to be blocked in its read of the idle device.
        await Task.Delay(300, _timeout.Token);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(_timeout.Token));
        await reads.DisposeAsync();
    }

    [Fact]
    public async Task Read_ScannerUnpluggedAndBack_ReopensAndReadsAgain()
    {
        Start(scannerLayout: "us", hostLayout: "us");
        Task<ScanRead> next = NextAsync();
        await _device!.TypeLineAsync("EI1:FIRST", _timeout.Token);
        Assert.Equal("EI1:FIRST", (await next).Text);

        _device.Unplug();
        next = NextAsync();
        _device.Plug();
        await TypeWhenReopenedAsync("EI1:SECOND");

        Assert.Equal("EI1:SECOND", (await next).Text);
        Assert.Equal(2, _scanner!.ConnectionCount);
    }

    [Fact]
    public void Opener_GrabOnPipe_FailsNamingEviocgrab()
    {
        using var device = new SimulatedHidScanner();

        var error = Assert.Throws<IOException>(() => LinuxInputDeviceOpener.Instance.Open(device.DevicePath, exclusiveGrab: true));

        Assert.Contains("EVIOCGRAB", error.Message, StringComparison.Ordinal);
        Assert.Contains("not an evdev input device", error.Message, StringComparison.Ordinal);
        Assert.Contains(device.DevicePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InputEvent_KeyPress_WritesLinux64BitLayout()
    {
        var bytes = new byte[InputEvent.Size];
        var time = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

        new InputEvent(InputEvent.KeyType, 30, InputEvent.Pressed).Write(bytes, time);

        Assert.Equal(
            "00F1536500000000" // tv_sec 1700000000, little-endian 64-bit
            + "78E0010000000000" // tv_usec 123000
            + "0100" // type EV_KEY
            + "1E00" // code KEY_A (30)
            + "01000000", // value 1 (pressed)
            Convert.ToHexString(bytes));
        Assert.Equal(new InputEvent(1, 30, 1), InputEvent.Read(bytes));
    }

    [Fact]
    public void Decoder_CapsLockOn_InvertsLetterCaseOnly()
    {
        var decoder = new KeystrokeDecoder(KeyboardLayout.Us);
        Press(decoder, KeyCodes.CapsLock);

        Press(decoder, 30);
        Press(decoder, 2);
        LineFrame? line = Press(decoder, KeyCodes.Enter);

        Assert.Equal("A1", line?.Text);
    }

    [Fact]
    public void Decoder_RightShiftHeld_TypesShiftedCharacters()
    {
        var decoder = new KeystrokeDecoder(KeyboardLayout.Us);

        decoder.Append(new InputEvent(InputEvent.KeyType, KeyCodes.RightShift, InputEvent.Pressed), 0);
        Press(decoder, 39);
        decoder.Append(new InputEvent(InputEvent.KeyType, KeyCodes.RightShift, InputEvent.Released), 0);
        Press(decoder, 39);
        LineFrame? line = Press(decoder, KeyCodes.KeypadEnter);

        Assert.Equal(":;", line?.Text);
    }

    [Fact]
    public void Decoder_UnmappedKey_AddsReplacementCharacterSoTokenIsRejected()
    {
        var decoder = new KeystrokeDecoder(KeyboardLayout.Us);

        Press(decoder, 18);
        Press(decoder, 59);
        LineFrame? line = Press(decoder, KeyCodes.Enter);

        Assert.Equal("e\uFFFD", line?.Text);
        Assert.Equal(RejectReason.ScannerMisconfigured, QrText.TryDecode(line!.Value.Text, out _));
    }

    [Fact]
    public void Decoder_LineAboveMaximum_DroppedAsOversize()
    {
        var decoder = new KeystrokeDecoder(KeyboardLayout.Us);

        for (int i = 0; i <= KeystrokeDecoder.MaxLineLength; i++)
        {
            Press(decoder, 30);
        }

        LineFrame? line = Press(decoder, KeyCodes.Enter);

        Assert.True(line?.IsOversize);
        Assert.Equal(KeystrokeDecoder.MaxLineLength + 1, line?.Length);
    }

    [Fact]
    public void Layout_UnknownName_RejectedNamingValue()
    {
        var error = Assert.Throws<ArgumentException>(() => KeyboardLayout.FromName("fr"));

        Assert.Contains("'fr'", error.Message, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _timeout.CancelAsync();
        _device?.Unplug();
        try
        {
            await _inFlight;
        }
        catch (OperationCanceledException)
        {
            // The pending read ends with the test's cancellation.
        }

        if (_reads is not null)
        {
            await _reads.DisposeAsync();
        }

        if (_scanner is not null)
        {
            await _scanner.DisposeAsync();
        }

        _device?.Dispose();
        _timeout.Dispose();
    }

    private static LineFrame? Press(KeystrokeDecoder decoder, ushort code)
    {
        LineFrame? line = decoder.Append(new InputEvent(InputEvent.KeyType, code, InputEvent.Pressed), 0);
        decoder.Append(new InputEvent(InputEvent.KeyType, code, InputEvent.Released), 0);
        return line;
    }

    private void Start(string scannerLayout, string hostLayout)
    {
        _device = new SimulatedHidScanner(scannerLayout);
        var options = new EvdevKeyboardScannerOptions
        {
            Name = "lane-1-hid",
            DevicePath = _device.DevicePath,
            Layout = hostLayout,
            Backoff = new ReconnectBackoff { Initial = TimeSpan.FromMilliseconds(10), Maximum = TimeSpan.FromMilliseconds(50) },
        };
        _scanner = new EvdevKeyboardScanner(options, _device.Opener);
        _reads = _scanner.ReadAllAsync(_timeout.Token).GetAsyncEnumerator(_timeout.Token);
    }

    // The pipe keeps what is typed before the driver reopens it, so typing at once is safe.
    private Task TypeWhenReopenedAsync(string text) => _device!.TypeLineAsync(text, _timeout.Token);

    private Task<ScanRead> NextAsync()
    {
        Task<ScanRead> next = NextCoreAsync();
        _inFlight = next;
        return next;
    }

    private async Task<ScanRead> NextCoreAsync()
    {
        Assert.True(await _reads!.MoveNextAsync());
        return _reads.Current;
    }
}
