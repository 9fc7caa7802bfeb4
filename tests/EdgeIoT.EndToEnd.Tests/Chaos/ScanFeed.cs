using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeIoT.EndToEnd.Tests.Chaos;

/// <summary>
/// A network QR scanner on 127.0.0.1 that the edge agent connects to (Agent:Hardware:Scanner=tcp)
/// and that sends one read per line. The agent reconnects after each restart, and a line sent
/// while no agent is connected is dropped, as a scan in front of a dead lane is.
/// </summary>
public sealed class ScanFeed : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Task _acceptLoop;
    private TcpClient? _client;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ScanFeed()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public long Sent { get; private set; }

    public long Dropped { get; private set; }

    /// <summary>Completes when an agent has connected since the last <see cref="ForgetConnection"/>.</summary>
    public Task WaitConnectedAsync(TimeSpan timeout)
    {
        lock (_gate)
        {
            return _connected.Task.WaitAsync(timeout);
        }
    }

    /// <summary>Drops the current connection, so <see cref="WaitConnectedAsync"/> waits for the next agent.</summary>
    public void ForgetConnection()
    {
        lock (_gate)
        {
            _client?.Dispose();
            _client = null;
            _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Sends one scanner line; returns false when no agent received it.</summary>
    public async Task<bool> SendAsync(string line)
    {
        TcpClient? client;
        lock (_gate)
        {
            client = _client;
        }

        if (client is null)
        {
            Dropped++;
            return false;
        }

        try
        {
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"));
            Sent++;
            return true;
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Dropped++;
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        ForgetConnection();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient accepted;
            try
            {
                accepted = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            accepted.NoDelay = true;
            lock (_gate)
            {
                _client?.Dispose();
                _client = accepted;
                _connected.TrySetResult();
            }
        }
    }
}
