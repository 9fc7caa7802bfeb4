using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// A network scanner on 127.0.0.1 with an OS-chosen port. It serves one client at a time
/// (the newest connection wins) and sends each scan as a CR LF-terminated line, optionally
/// with the faults real scanners produce: double reads, AIM prefixes, ECI escapes and a
/// wrong keyboard layout.
/// </summary>
public sealed class TcpScannerSimulator : IAsyncDisposable
{
    /// <summary>AIM symbology identifier for QR Code model 2 (ISO/IEC 15424).</summary>
    public const string AimQrPrefix = "]Q1";

    /// <summary>ECI escape for UTF-8 (ECI 000026) as scanners transmit it.</summary>
    public const string Utf8EciEscape = "\\000026";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly Task _acceptLoop;
    private TaskCompletionSource<NetworkStream> _client = NewClientSource();
    private int _connectionCount;

    public TcpScannerSimulator()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>Waits until a client is connected, then returns.</summary>
    public async Task WaitForClientAsync(CancellationToken cancellationToken)
    {
        Task<NetworkStream> client;
        lock (_lock)
        {
            client = _client.Task;
        }

        await client.WaitAsync(cancellationToken);
    }

    /// <summary>Sends <paramref name="text"/> as one line to the connected client.</summary>
    public Task SendLineAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);

        return SendRawAsync(Encoding.Latin1.GetBytes(text + "\r\n"), cancellationToken);
    }

    /// <summary>Sends the same line twice, as a scanner that re-reads a code held in view does.</summary>
    public async Task SendDoubleReadAsync(string text, CancellationToken cancellationToken)
    {
        await SendLineAsync(text, cancellationToken);
        await SendLineAsync(text, cancellationToken);
    }

    /// <summary>Sends the line with an AIM symbology identifier in front, "]Q1" by default.</summary>
    public Task SendWithAimPrefixAsync(string text, CancellationToken cancellationToken, string prefix = AimQrPrefix) =>
        SendLineAsync(prefix + text, cancellationToken);

    /// <summary>Sends the line with an ECI escape in front, "\000026" (UTF-8) by default.</summary>
    public Task SendWithEciAsync(string text, CancellationToken cancellationToken, string escape = Utf8EciEscape) =>
        SendLineAsync(escape + text, cancellationToken);

    /// <summary>
    /// Sends the line as a keyboard-wedge scanner set to a German (QWERTZ) layout types it:
    /// Y and Z swapped, letters in lower case and ':' as 'Ö'.
    /// </summary>
    public Task SendWrongLayoutAsync(string text, CancellationToken cancellationToken) =>
        SendLineAsync(ToWrongLayout(text), cancellationToken);

    /// <summary>Sends raw bytes, for framing tests (no terminator is added).</summary>
    public async Task SendRawAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);

        Task<NetworkStream> client;
        lock (_lock)
        {
            client = _client.Task;
        }

        var stream = await client.WaitAsync(cancellationToken);
        await stream.WriteAsync(bytes, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    /// <summary>Closes the current connection, as an unplugged or rebooting scanner does.</summary>
    public async Task DropConnectionAsync()
    {
        TaskCompletionSource<NetworkStream> previous;
        lock (_lock)
        {
            previous = _client;
            _client = NewClientSource();
        }

        if (previous.Task.IsCompletedSuccessfully)
        {
            await previous.Task.Result.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await DropConnectionAsync();
        _stopping.Dispose();
    }

    public static string ToWrongLayout(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var builder = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            builder.Append(character switch
            {
                'Y' => 'z',
                'Z' => 'y',
                ':' => 'Ö',
                _ => char.ToLowerInvariant(character),
            });
        }

        return builder.ToString();
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

            socket.NoDelay = true;
            Interlocked.Increment(ref _connectionCount);
            await ReplaceClientAsync(new NetworkStream(socket, ownsSocket: true));
        }
    }

    private async Task ReplaceClientAsync(NetworkStream stream)
    {
        TaskCompletionSource<NetworkStream> previous;
        lock (_lock)
        {
            previous = _client;
            if (!previous.Task.IsCompleted)
            {
                previous.SetResult(stream);
                return;
            }

            _client = NewClientSource();
            _client.SetResult(stream);
        }

        await previous.Task.Result.DisposeAsync();
    }

    private static TaskCompletionSource<NetworkStream> NewClientSource() =>
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
