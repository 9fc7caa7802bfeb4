using EdgeIoT.Hardware.Simulated;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hardware.Tests;

public sealed class EscPosPrinterTests : IAsyncDisposable
{
    private static readonly Receipt Sample = new(
        Header: "EDGEIOT ARENA BAR",
        Lines: [new ReceiptLine("Lemonade 0.5 l", 450), new ReceiptLine("Pretzel", 325)],
        TotalMinor: 775,
        Currency: "EUR",
        SpendRemainingMinor: 2225,
        QrText: "EI1:ABC123 $%*+-./:",
        Footer: "Thank you");

    private readonly EscPosPrinterSimulator _simulator = new();
    private readonly EscPosPrinter _printer;

    public EscPosPrinterTests()
    {
        _printer = EscPosPrinter.ForTcp(new EscPosPrinterOptions { Port = _simulator.Port });
    }

    [Fact]
    public async Task Print_OnlinePrinter_SimulatorReceivesExactReceipt()
    {
        using var timeout = TestTimeouts.Create();

        var status = await _printer.PrintAsync(Sample, timeout.Token);
        var printed = await _simulator.Receipts.ReadAsync(timeout.Token);

        Assert.True(status.CanPrint);
        Assert.Equal(ReceiptLayout.Render(Sample), printed.Bytes);
        Assert.Equal(
            [
                "EDGEIOT ARENA BAR",
                "Lemonade 0.5 l                              4.50",
                "Pretzel                                     3.25",
                "TOTAL                                   7.75 EUR",
                "Spend remaining                        22.25 EUR",
                "Thank you",
            ],
            printed.Lines);
        Assert.Equal(["EDGEIOT ARENA BAR", "TOTAL                                   7.75 EUR"], printed.BoldLines);
        Assert.Equal(Sample.QrText, printed.QrPayload);
    }

    [Fact]
    public async Task Print_PaperOut_SendsNothing()
    {
        using var timeout = TestTimeouts.Create();
        _simulator.PaperOut = true;

        var status = await _printer.PrintAsync(Sample, timeout.Token);

        Assert.True(status.PaperOut);
        Assert.False(status.Online);
        Assert.False(_simulator.Receipts.TryRead(out _));
        Assert.Equal(0, _simulator.DroppedReceiptCount);
    }

    [Fact]
    public async Task GetStatus_CoverOpenNearEnd_ReportsBoth()
    {
        using var timeout = TestTimeouts.Create();
        _simulator.CoverOpen = true;
        _simulator.PaperNearEnd = true;

        var status = await _printer.GetStatusAsync(timeout.Token);

        Assert.Equal(new PrinterStatus(Online: false, PaperOut: false, CoverOpen: true, PaperNearEnd: true), status);
    }

    [Fact]
    public async Task Print_PaperRefilled_PrintsAgain()
    {
        using var timeout = TestTimeouts.Create();
        _simulator.PaperOut = true;
        await _printer.PrintAsync(Sample, timeout.Token);

        _simulator.PaperOut = false;
        var status = await _printer.PrintAsync(Sample, timeout.Token);
        var printed = await _simulator.Receipts.ReadAsync(timeout.Token);

        Assert.True(status.CanPrint);
        Assert.Equal(Sample.QrText, printed.QrPayload);
    }

    [Fact]
    public async Task GetStatus_NoPrinterListening_ReturnsUnreachable()
    {
        using var timeout = TestTimeouts.Create();
        var port = _simulator.Port;
        await _simulator.DisposeAsync();

        using var printer = EscPosPrinter.ForTcp(new EscPosPrinterOptions { Port = port });
        var status = await printer.GetStatusAsync(timeout.Token);

        Assert.Equal(PrinterStatus.Unreachable, status);
    }

    [Fact]
    public async Task GetStatus_Outage_LoggedOncePerChange()
    {
        using var timeout = TestTimeouts.Create();
        var logger = new RecordingLogger<EscPosPrinter>();
        int connects = 0;
        using var printer = new EscPosPrinter(
            async ct =>
            {
                // The first three connections fail as a printer without power would.
                if (++connects <= 3)
                {
                    throw new IOException("Connection refused");
                }

                var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(System.Net.IPAddress.Loopback, _simulator.Port, ct);
                return client.GetStream();
            },
            logger: logger);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(PrinterStatus.Unreachable, await printer.GetStatusAsync(timeout.Token));
        }

        PrinterStatus back = await printer.GetStatusAsync(timeout.Token);

        Assert.True(back.CanPrint);
        Assert.Equal(3, printer.UnreachableCount);
        Assert.Single(logger.Entries, entry => entry.Level == LogLevel.Warning);
        Assert.Equal(2, logger.Entries.Count(entry => entry.EventId.Id == 4204 && entry.Level == LogLevel.Debug));
        var recovered = Assert.Single(logger.Entries, entry => entry.EventId.Id == 4205);
        Assert.Contains("after 3 failed attempts", recovered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Print_SilentAfterReceipt_CountsPrinted()
    {
        using var timeout = TestTimeouts.Create();
        await using var silent = new SilentAfterPrinter(repliesBeforeSilence: 3);

        // The default 2 s timeout: the replies before the receipt must arrive even on a busy machine.
        using var printer = EscPosPrinter.ForTcp(new EscPosPrinterOptions { Port = silent.Port });

        var status = await printer.PrintAsync(Sample, timeout.Token);

        Assert.True(status.CanPrint);
        await silent.ReceiptReceived.WaitAsync(timeout.Token);
    }

    [Fact]
    public async Task Print_NoStatusReply_SendsNothing()
    {
        using var timeout = TestTimeouts.Create();
        await using var silent = new SilentAfterPrinter(repliesBeforeSilence: 0);
        using var printer = EscPosPrinter.ForTcp(
            new EscPosPrinterOptions { Port = silent.Port, StatusTimeout = TimeSpan.FromMilliseconds(200) });

        var status = await printer.PrintAsync(Sample, timeout.Token);

        Assert.Same(PrinterStatus.Unreachable, status);
        Assert.Equal(0, silent.ReceiptCount);
    }

    [Fact]
    public void Render_LongDescription_CutToLineWidth()
    {
        var receipt = Sample with { Lines = [new ReceiptLine(new string('X', 80), 100)] };
        var parser = new EscPosParser();

        var printed = Assert.Single(parser.Append(ReceiptLayout.Render(receipt), replies: []));

        Assert.Equal(new string('X', 43) + " 1.00", printed.Lines[1]);
        Assert.Equal(0, parser.UnknownCommandCount);
    }

    [Fact]
    public void Render_NonAsciiText_PrintedAsQuestionMark()
    {
        var receipt = Sample with { Header = "Café Ü" };

        var printed = Assert.Single(new EscPosParser().Append(ReceiptLayout.Render(receipt), replies: []));

        Assert.Equal("Caf? ?", printed.Lines[0]);
    }

    [Fact]
    public void QrCode_StoreFunction_EncodesLengthLittleEndian()
    {
        var bytes = new EscPosWriter().QrCode("AB").ToArray();

        // GS ( k pL pH cn fn m d1 d2: pL = 2 data bytes + 3 = 5, pH = 0, cn 0x31, fn 0x50 (store), m 0x30.
        byte[] store = [0x1D, 0x28, 0x6B, 0x05, 0x00, 0x31, 0x50, 0x30, 0x41, 0x42];
        Assert.True(bytes.AsSpan().IndexOf(store) >= 0);

        // Function 181 prints the stored symbol: GS ( k 03 00 31 51 30.
        Assert.Equal<byte>([0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30], bytes[^8..]);
    }

    public async ValueTask DisposeAsync()
    {
        _printer.Dispose();
        await _simulator.DisposeAsync();
    }

    /// <summary>
    /// A ready printer on loopback that replies to its first DLE EOT requests and then reads on
    /// without replying, as a printer whose status channel hangs.
    /// </summary>
    private sealed class SilentAfterPrinter : IAsyncDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stopping = new();
        private readonly Task _serving;
        private readonly TaskCompletionSource _receiptReceived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _replies;
        private int _receipts;

        public SilentAfterPrinter(int repliesBeforeSilence)
        {
            _replies = repliesBeforeSilence;
            _listener.Start();
            Port = ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port;
            _serving = ServeAsync();
        }

        public int Port { get; }

        public int ReceiptCount => Volatile.Read(ref _receipts);

        public Task ReceiptReceived => _receiptReceived.Task;

        public async ValueTask DisposeAsync()
        {
            await _stopping.CancelAsync();
            _listener.Stop();
            await _serving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _stopping.Dispose();
        }

        private async Task ServeAsync()
        {
            using var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            var stream = client.GetStream();
            var ready = EscPosStatus.Encode(new PrinterStatus(Online: true, PaperOut: false, CoverOpen: false, PaperNearEnd: false));
            var parser = new EscPosParser
            {
                StatusRequested = n => n switch
                {
                    EscPos.StatusPrinter => ready.Printer,
                    EscPos.StatusOfflineCause => ready.OfflineCause,
                    _ => ready.PaperSensor,
                },
            };
            var buffer = new byte[4096];
            var replies = new List<byte>();
            int read;
            while ((read = await stream.ReadAsync(buffer, _stopping.Token)) > 0)
            {
                replies.Clear();
                if (parser.Append(buffer.AsSpan(0, read), replies).Count > 0)
                {
                    Interlocked.Increment(ref _receipts);
                    _receiptReceived.TrySetResult();
                }

                int allowed = Math.Min(replies.Count, _replies);
                _replies -= allowed;
                await stream.WriteAsync(replies.Take(allowed).ToArray(), _stopping.Token);
            }
        }
    }
}
