using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeIoT.Simulator.Faults;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Simulator.Tests;

/// <summary>The fault proxy against a real echo server on loopback.</summary>
public sealed class FaultProxyTests : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly EchoServer _echo = new();
    private readonly EchoServer _otherEcho = new("other:");
    private readonly FaultProxy _proxy;

    public FaultProxyTests()
    {
        _proxy = new FaultProxy("test-link", _echo.Endpoint, NullLogger.Instance);
    }

    [Fact]
    public async Task Forward_HealthyLink_EchoesBytes()
    {
        using TcpClient client = await ConnectAsync();

        string reply = await RoundTripAsync(client, "hello");

        Assert.Equal("hello", reply);
    }

    [Fact]
    public async Task Drop_WhileDropping_HoldsBytesUntilResume()
    {
        using TcpClient client = await ConnectAsync();
        Assert.Equal("one", await RoundTripAsync(client, "one"));

        _proxy.Drop();
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("two"));
        Task<string> reply = ReadAsync(client, 3);
        Task first = await Task.WhenAny(reply, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.NotSame(reply, first);
        Assert.True(_proxy.IsDropping);

        _proxy.Resume();
        Assert.Equal("two", await reply.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ResetConnections_OpenConnection_NewOnesWork()
    {
        using TcpClient first = await ConnectAsync();
        Assert.Equal("a", await RoundTripAsync(first, "a"));

        _proxy.ResetConnections();

        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            // The reset reaches the client as an error or end of stream on the next read.
            string reply = await RoundTripAsync(first, "b");
            Assert.Fail($"The reset connection still echoed \"{reply}\".");
        });
        using TcpClient second = await ConnectAsync();
        Assert.Equal("c", await RoundTripAsync(second, "c"));
    }

    [Fact]
    public async Task Retarget_NewConnection_ReachesNewTarget()
    {
        _proxy.Retarget(_otherEcho.Endpoint);

        using TcpClient client = await ConnectAsync();

        Assert.Equal("other:x", await RoundTripAsync(client, "x", expectedLength: 7));
    }

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        _echo.Dispose();
        _otherEcho.Dispose();
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, _proxy.Port).WaitAsync(Timeout);
        return client;
    }

    private static async Task<string> RoundTripAsync(TcpClient client, string text, int? expectedLength = null)
    {
        await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(text));
        return await ReadAsync(client, expectedLength ?? text.Length).WaitAsync(Timeout);
    }

    private static async Task<string> ReadAsync(TcpClient client, int length)
    {
        byte[] buffer = new byte[length];
        int read = 0;
        while (read < length)
        {
            int chunk = await client.GetStream().ReadAsync(buffer.AsMemory(read));
            if (chunk == 0)
            {
                throw new IOException($"The connection closed after {read} of {length} bytes.");
            }

            read += chunk;
        }

        return Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Echoes every chunk back, with an optional prefix on each connection's first reply.</summary>
    private sealed class EchoServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stopping = new();

        public EchoServer(string prefix = "")
        {
            _listener.Start();
            Endpoint = (IPEndPoint)_listener.LocalEndpoint;
            _ = AcceptAsync(prefix);
        }

        public IPEndPoint Endpoint { get; }

        public void Dispose()
        {
            _stopping.Cancel();
            _listener.Stop();
            _stopping.Dispose();
        }

        private async Task AcceptAsync(string prefix)
        {
            try
            {
                while (true)
                {
                    TcpClient client = await _listener.AcceptTcpClientAsync(_stopping.Token);
                    _ = EchoAsync(client, prefix);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task EchoAsync(TcpClient client, string prefix)
        {
            using (client)
            {
                byte[] buffer = new byte[1024];
                bool first = true;
                try
                {
                    int read;
                    while ((read = await client.GetStream().ReadAsync(buffer, _stopping.Token)) > 0)
                    {
                        if (first && prefix.Length > 0)
                        {
                            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(prefix), _stopping.Token);
                        }

                        first = false;
                        await client.GetStream().WriteAsync(buffer.AsMemory(0, read), _stopping.Token);
                    }
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
                {
                }
            }
        }
    }
}
