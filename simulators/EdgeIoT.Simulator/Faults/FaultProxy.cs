using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Faults;

/// <summary>
/// A TCP proxy on 127.0.0.1 that stands for a network link. While partitioned it resets
/// every open connection and refuses new ones, as a pulled cable or a dead switch looks to
/// the client. While dropping it forwards nothing and resets nothing, so connections stall
/// until the peers' own timeouts notice. <see cref="Latency"/> delays every forwarded chunk
/// in both directions, and <see cref="ResetConnections"/> resets open connections once.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private volatile IPEndPoint _target;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _connections = [];
    private readonly Task _acceptLoop;
    private volatile bool _partitioned;
    private volatile TaskCompletionSource _flowing = Flowing();
    private long _partitionCount;

    public FaultProxy(string name, IPEndPoint target, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(logger);

        Name = name;
        _target = target;
        _logger = logger;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public string Name { get; }

    /// <summary>Port on 127.0.0.1 that clients connect to instead of the target.</summary>
    public int Port { get; }

    /// <summary>Delay added to every forwarded chunk.</summary>
    public TimeSpan Latency { get; set; }

    public bool IsPartitioned => _partitioned;

    /// <summary>True while the link swallows traffic (see <see cref="Drop"/>).</summary>
    public bool IsDropping => !_flowing.Task.IsCompleted;

    /// <summary>Sends later connections to a new target, as after a restarted service came back on another port.</summary>
    public void Retarget(IPEndPoint target)
    {
        ArgumentNullException.ThrowIfNull(target);

        _target = target;
        _logger.LogInformation("Link {Link} now forwards to {Target}", Name, target);
    }

    /// <summary>Stops forwarding without resetting anything, as a black-holed route does, until <see cref="Resume"/>.</summary>
    public void Drop()
    {
        if (!IsDropping)
        {
            _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        _logger.LogInformation("Link {Link} dropping traffic", Name);
    }

    /// <summary>Forwards again whatever waited while the link was dropping.</summary>
    public void Resume()
    {
        _flowing.TrySetResult();
        _logger.LogInformation("Link {Link} forwarding again", Name);
    }

    /// <summary>Resets every open connection once; new connections go through.</summary>
    public void ResetConnections()
    {
        int reset = ResetOpen();
        _logger.LogInformation("Link {Link} reset {Connections} connections", Name, reset);
    }

    public long PartitionCount => Interlocked.Read(ref _partitionCount);

    /// <summary>Cuts the link: resets open connections and refuses new ones until <see cref="Heal"/>.</summary>
    public void Partition()
    {
        _partitioned = true;
        Interlocked.Increment(ref _partitionCount);
        int reset = ResetOpen();
        _logger.LogInformation("Link {Link} partitioned, {Connections} connections reset", Name, reset);
    }

    public void Heal()
    {
        _partitioned = false;
        _logger.LogInformation("Link {Link} healed", Name);
    }

    public async ValueTask DisposeAsync()
    {
        _flowing.TrySetResult();
        await _stopping.CancelAsync();
        _listener.Stop();
        Partition();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private static TaskCompletionSource Flowing()
    {
        var flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flowing.SetResult();
        return flowing;
    }

    private int ResetOpen()
    {
        TcpClient[] open;
        lock (_gate)
        {
            open = [.. _connections];
            _connections.Clear();
        }

        foreach (TcpClient connection in open)
        {
            ResetConnection(connection);
        }

        return open.Length;
    }

    private static void ResetConnection(TcpClient connection)
    {
        // TcpClient.Client is null once the other pump closed the connection.
        Socket? socket = connection.Client;
        if (socket is null)
        {
            return;
        }

        try
        {
            // Linger 0 sends RST instead of FIN, like a link that vanished mid-stream.
            socket.LingerState = new LingerOption(true, 0);
            connection.Close();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_partitioned)
            {
                ResetConnection(client);
                continue;
            }

            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using var upstream = new TcpClient { NoDelay = true };
        client.NoDelay = true;
        try
        {
            await upstream.ConnectAsync(_target, _stopping.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            _logger.LogDebug("Link {Link} could not reach {Target}: {Error}", Name, _target, ex.Message);
            ResetConnection(client);
            return;
        }

        lock (_gate)
        {
            _connections.Add(client);
            _connections.Add(upstream);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        Task toTarget = PumpAsync(client.GetStream(), upstream.GetStream(), linked.Token);
        Task toClient = PumpAsync(upstream.GetStream(), client.GetStream(), linked.Token);
        await Task.WhenAny(toTarget, toClient);
        await linked.CancelAsync();
        ResetConnection(client);
        ResetConnection(upstream);
        lock (_gate)
        {
            _connections.Remove(client);
            _connections.Remove(upstream);
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                int read = await from.ReadAsync(buffer, cancellationToken);
                if (read == 0 || _partitioned)
                {
                    return;
                }

                await _flowing.Task.WaitAsync(cancellationToken);
                if (_partitioned)
                {
                    return;
                }

                TimeSpan latency = Latency;
                if (latency > TimeSpan.Zero)
                {
                    await Task.Delay(latency, cancellationToken);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException
            or OperationCanceledException)
        {
        }
    }
}
