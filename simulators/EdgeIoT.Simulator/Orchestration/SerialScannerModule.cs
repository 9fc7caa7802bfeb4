using EdgeIoT.Hardware;
using EdgeIoT.Hardware.Simulated;
using EdgeIoT.Simulator.Crowd;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// A QR scanner module: its imager decodes the guest's image, and the module sends the text as
/// a line, over a serial output or typed by a keyboard-mode (HID) scanner. Depending on the guest's <see cref="ScanHabits"/> it
/// sends the line twice (a retriggered read) or with an AIM identifier and ECI escape in front.
/// </summary>
public sealed class SerialScannerModule : IAsyncDisposable
{
    private readonly SimulatedCamera _imager;
    private readonly Func<string, CancellationToken, Task> _sendLine;
    private readonly Action _onUnreadable;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _forwarding;
    private volatile ScanHabits _habits = ScanHabits.Plain;
    private volatile TaskCompletionSource _sent = Done();

    public SerialScannerModule(
        string name,
        double blurShare,
        int seed,
        Func<string, CancellationToken, Task> sendLine,
        Action onUnreadable,
        ILoggerFactory loggers)
    {
        _imager = new SimulatedCamera(
            new SimulatedCameraOptions { Name = name, BlurShare = blurShare, Seed = seed },
            loggers.CreateLogger<SimulatedCamera>());
        _imager.Unreadable += (_, _) =>
        {
            _sent.TrySetResult();
            onUnreadable();
        };
        _onUnreadable = onUnreadable;
        _sendLine = sendLine;
        _forwarding = Task.Run(ForwardAsync);
    }

    /// <summary>Shows a frame to the imager; <paramref name="habits"/> shape the line it sends.</summary>
    public ValueTask PresentAsync(byte[] png, ScanHabits habits)
    {
        _habits = habits;
        _sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _imager.PresentAsync(png);
    }

    /// <summary>
    /// Completes when every line of the last presentation was sent (two for a double read), so
    /// a repeated line cannot be taken for the next guest's scan.
    /// </summary>
    public Task LinesSentAsync(CancellationToken cancellationToken) =>
        _sent.Task.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _forwarding.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _imager.DisposeAsync();
        _stopping.Dispose();
    }

    private static TaskCompletionSource Done()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private async Task ForwardAsync()
    {
        await foreach (ScanRead read in _imager.ReadAllAsync(_stopping.Token))
        {
            ScanHabits habits = _habits;
            string line = habits.EciPrefix
                ? TcpScannerSimulator.AimQrPrefix + TcpScannerSimulator.Utf8EciEscape + read.Text
                : read.Text;
            try
            {
                await _sendLine(line, _stopping.Token);
                if (habits.DoubleRead)
                {
                    await _sendLine(line, _stopping.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ObjectDisposedException
                or ArgumentException)
            {
                // The receiving side restarted after a lane power cut, or a HID scanner's layout
                // has no key for a character. The guest gets no reaction and shows the code again.
                _onUnreadable();
            }
            finally
            {
                _sent.TrySetResult();
            }
        }
    }
}
