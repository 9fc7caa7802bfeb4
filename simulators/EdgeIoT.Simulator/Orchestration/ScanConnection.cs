using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeIoT.VirtualDevice;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The serial scanner's link to a virtual ESP32 in its own process: the device's TCP scan
/// port on 127.0.0.1. Each line sent gets one feedback line back (a decision, or a note that
/// the busy gate ignored it), and the device writes a status line at a fixed interval in
/// between. The connection ends when the device process ends.
/// </summary>
public sealed class ScanConnection : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly StreamReader _reader;
    private readonly Stream _stream;
    private readonly Action<ScanFeedbackLine> _statusReceived;
    private readonly Task _reading;
    private readonly SemaphoreSlim _oneLineAtATime = new(1, 1);
    private TaskCompletionSource<ScanFeedbackLine>? _reply;

    private ScanConnection(TcpClient client, Action<ScanFeedbackLine> statusReceived)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = new StreamReader(_stream, Encoding.UTF8);
        _statusReceived = statusReceived;
        _reading = Task.Run(ReadLoopAsync);
    }

    /// <summary>Completes when the device closed the connection, which a power cut does.</summary>
    public Task Closed => _reading;

    /// <summary>
    /// Connects to the device's scan port, trying again while the device is still starting.
    /// <paramref name="statusReceived"/> runs on the reading task for every status line.
    /// </summary>
    public static async Task<ScanConnection> ConnectAsync(
        int port, Action<ScanFeedbackLine> statusReceived, Func<bool> deviceExited, CancellationToken cancellationToken)
    {
        while (true)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                client.NoDelay = true;
                return new ScanConnection(client, statusReceived);
            }
            catch (SocketException) when (!deviceExited())
            {
                client.Dispose();
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Sends one scanner line and returns the device's feedback for it. Throws
    /// <see cref="IOException"/> when the connection ends first.
    /// </summary>
    public async Task<ScanFeedbackLine> SendAsync(string line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(line);

        await _oneLineAtATime.WaitAsync(cancellationToken);
        try
        {
            var reply = new TaskCompletionSource<ScanFeedbackLine>(TaskCreationOptions.RunContinuationsAsynchronously);
            _reply = reply;
            if (_reading.IsCompleted)
            {
                throw new IOException("The device closed its scan connection.");
            }

            await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
            return await reply.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            _reply = null;
            _oneLineAtATime.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _reading;
        _reader.Dispose();
        _oneLineAtATime.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await _reader.ReadLineAsync() is string text)
            {
                if (ScanFeedbackLine.TryParse(text) is not { } line)
                {
                    continue;
                }

                if (line.Type == ScanFeedbackLine.StatusType)
                {
                    _statusReceived(line);
                }
                else
                {
                    _reply?.TrySetResult(line);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // A killed device resets the connection, and the end is reported below either way.
        }

        _reply?.TrySetException(new IOException("The device closed its scan connection."));
    }
}
