using System.Net.Sockets;
using System.Threading.Channels;
using EdgeIoT.VirtualDevice;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Firmware.Tests.Device;

public sealed class ScanLineListenerTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _inbox = Directory.CreateTempSubdirectory("edgeiot-inbox-").FullName;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public void Dispose() => Directory.Delete(_inbox, recursive: true);

    [Fact]
    public async Task Listener_TcpLines_AreSubmittedInOrder()
    {
        await using var listener = new ScanLineListener(0, null, line => _lines.Writer.TryWrite(line), NullLogger.Instance);
        listener.Start();

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", listener.Port);
        await using (var writer = new StreamWriter(client.GetStream()))
        {
            await writer.WriteAsync("EI1:FIRST\r\nEI1:SECOND\n");
        }

        Assert.Equal("EI1:FIRST", await NextLineAsync());
        Assert.Equal("EI1:SECOND", await NextLineAsync());
    }

    [Fact]
    public async Task Listener_InboxFile_IsReadAndDeleted()
    {
        await using var listener = new ScanLineListener(0, _inbox, line => _lines.Writer.TryWrite(line), NullLogger.Instance);
        listener.Start();
        string file = Path.Combine(_inbox, "scan-1.txt");
        string temporary = file + ".tmp";

        await File.WriteAllTextAsync(temporary, "EI1:A\n\nEI1:B\n");
        File.Move(temporary, file);

        Assert.Equal("EI1:A", await NextLineAsync());
        Assert.Equal("EI1:B", await NextLineAsync());
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Listener_DecideFunction_RepliesOnSameConnection()
    {
        var admit = new ScanFeedbackLine { Type = ScanFeedbackLine.DecisionType, Admitted = true, Reason = "ok", Seq = 7 };
        var ignored = new ScanFeedbackLine { Type = ScanFeedbackLine.IgnoredType };
        await using var listener = new ScanLineListener(
            0, null, line => line == "EI1:BUSY" ? ignored : admit, NullLogger.Instance);
        listener.Start();

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", listener.Port);
        using var reader = new StreamReader(client.GetStream());
        await using var writer = new StreamWriter(client.GetStream()) { AutoFlush = true };
        await writer.WriteAsync("EI1:GUEST\nEI1:BUSY\n");

        ScanFeedbackLine? first = ScanFeedbackLine.TryParse(await ReadLineAsync(reader));
        ScanFeedbackLine? second = ScanFeedbackLine.TryParse(await ReadLineAsync(reader));

        Assert.Equal(admit, first);
        Assert.Equal(ScanFeedbackLine.IgnoredType, second?.Type);
    }

    [Fact]
    public async Task Listener_Status_WrittenWithoutScans()
    {
        var status = new ScanFeedbackLine { Type = ScanFeedbackLine.StatusType, LastSeq = 12, QueueDepth = 3, Ready = true };
        await using var listener = new ScanLineListener(0, null, _ => null, NullLogger.Instance)
        {
            Status = () => status,
            StatusInterval = TimeSpan.FromMilliseconds(20),
        };
        listener.Start();

        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", listener.Port);
        using var reader = new StreamReader(client.GetStream());

        Assert.Equal(status, ScanFeedbackLine.TryParse(await ReadLineAsync(reader)));
        Assert.Equal(status, ScanFeedbackLine.TryParse(await ReadLineAsync(reader)));
    }

    private static async Task<string> ReadLineAsync(StreamReader reader) =>
        await reader.ReadLineAsync().WaitAsync(Timeout) ?? throw new EndOfStreamException("The listener closed the connection.");

    private async Task<string> NextLineAsync() => await _lines.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
}
