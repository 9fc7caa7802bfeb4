using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// A network receipt printer on 127.0.0.1 with an OS-chosen port. It parses the ESC/POS
/// stream, publishes each cut receipt to <see cref="Receipts"/>, and answers DLE EOT status
/// requests from its paper and cover state. While the paper is out or the cover is open it
/// reports offline (DLE EOT 1 bit 3), and receipts sent then are counted as dropped.
/// </summary>
public sealed partial class EscPosPrinterSimulator : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<PrintedReceipt> _receipts = Channel.CreateUnbounded<PrintedReceipt>();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger _logger;
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = [];
    private readonly Lock _lock = new();
    private int _dropped;

    public EscPosPrinterSimulator(ILogger<EscPosPrinterSimulator>? logger = null)
    {
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    public int Port { get; }

    /// <summary>Printed receipts, in the order the cuts arrived.</summary>
    public ChannelReader<PrintedReceipt> Receipts => _receipts.Reader;

    public bool PaperOut { get; set; }

    public bool CoverOpen { get; set; }

    public bool PaperNearEnd { get; set; }

    /// <summary>Receipts that arrived while the printer was offline and were not printed.</summary>
    public int DroppedReceiptCount => Volatile.Read(ref _dropped);

    /// <summary>Returns the status the printer reports now.</summary>
    public PrinterStatus CurrentStatus =>
        new(Online: !PaperOut && !CoverOpen, PaperOut, CoverOpen, PaperNearEnd);

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        Task[] connections;
        lock (_lock)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections.Append(_acceptLoop))
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _receipts.Writer.TryComplete();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(stopping);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException
                or ObjectDisposedException)
            {
                return;
            }

            lock (_lock)
            {
                _connections.RemoveAll(task => task.IsCompleted);
                _connections.Add(ServeAsync(socket, stopping));
            }
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stopping)
    {
        var parser = new EscPosParser { StatusRequested = ReplyToStatus };
        var buffer = new byte[4096];
        var replies = new List<byte>();
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, stopping)) > 0)
            {
                replies.Clear();
                foreach (var receipt in parser.Append(buffer.AsSpan(0, read), replies))
                {
                    Accept(receipt);
                }

                if (replies.Count > 0)
                {
                    await stream.WriteAsync(replies.ToArray(), stopping);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The client closed the connection or the simulator is stopping.
            _ = exception;
        }
    }

    private void Accept(PrintedReceipt receipt)
    {
        if (!CurrentStatus.CanPrint)
        {
            Interlocked.Increment(ref _dropped);
            LogDropped(_logger, receipt.Bytes.Length);
            return;
        }

        _receipts.Writer.TryWrite(receipt);
    }

    private byte ReplyToStatus(byte n)
    {
        var (printer, offlineCause, paperSensor) = EscPosStatus.Encode(CurrentStatus);
        return n switch
        {
            EscPos.StatusPrinter => printer,
            EscPos.StatusOfflineCause => offlineCause,
            EscPos.StatusPaperSensor => paperSensor,

            // A real printer ignores other n values; a fixed-bits byte keeps a client from hanging.
            _ => EscPosStatus.FixedBits,
        };
    }

    [LoggerMessage(EventId = 4401, Level = LogLevel.Warning,
        Message = "Simulated printer offline; receipt of {ByteCount} bytes dropped")]
    private static partial void LogDropped(ILogger logger, int byteCount);
}
