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

    private async Task<string> NextLineAsync() => await _lines.Reader.ReadAsync().AsTask().WaitAsync(Timeout);
}
