using Microsoft.Extensions.Logging;

namespace EdgeIoT.Hardware.Simulated;

/// <summary>
/// Watches a folder for *.png frames and presents each to the camera, then deletes it or moves
/// it to processed/. A file-system watcher wakes the loop early, and a poll catches any
/// notification the watcher dropped.
/// </summary>
internal sealed partial class CameraInbox : IAsyncDisposable
{
    private readonly SimulatedCameraOptions _options;
    private readonly SimulatedCamera _camera;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher _watcher;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly string _folder;
    private readonly Task _loop;

    public CameraInbox(
        SimulatedCameraOptions options, SimulatedCamera camera, ILogger logger, CancellationToken stopping)
    {
        _options = options;
        _camera = camera;
        _logger = logger;
        _folder = Path.GetFullPath(options.InboxFolder!);
        Directory.CreateDirectory(_folder);

        _watcher = new FileSystemWatcher(_folder, "*.png") { EnableRaisingEvents = true };
        _watcher.Created += (_, _) => Wake();
        _watcher.Renamed += (_, _) => Wake();
        _loop = Task.Run(() => RunAsync(stopping), CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        _watcher.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // The camera cancelled the loop on purpose.
        }

        _wake.Dispose();
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // A notification raced with shutdown; there is nothing left to wake.
        }
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            foreach (var path in Directory.EnumerateFiles(_folder, "*.png").Order(StringComparer.Ordinal))
            {
                await ProcessAsync(path);
            }

            await _wake.WaitAsync(_options.InboxPollInterval, stopping);
        }
    }

    private async Task ProcessAsync(string path)
    {
        byte[] png;
        try
        {
            png = await File.ReadAllBytesAsync(path);

            // Retiring before presenting means a frame is presented at most once, and by the
            // time its scan is visible the file is gone from the inbox.
            Retire(path);
        }
        catch (IOException exception)
        {
            // The writer may still hold the file; the next pass retries it.
            LogReadRetry(_logger, exception, path);
            return;
        }

        await _camera.PresentAsync(png);
    }

    private void Retire(string path)
    {
        if (!_options.KeepProcessed)
        {
            File.Delete(path);
            return;
        }

        var processed = Path.Combine(_folder, "processed");
        Directory.CreateDirectory(processed);
        File.Move(path, Path.Combine(processed, Path.GetFileName(path)), overwrite: true);
    }

    [LoggerMessage(EventId = 4302, Level = LogLevel.Debug,
        Message = "Inbox frame {Path} could not be read or moved yet; retrying")]
    private static partial void LogReadRetry(ILogger logger, Exception exception, string path);
}
