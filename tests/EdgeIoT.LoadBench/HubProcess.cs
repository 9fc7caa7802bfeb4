using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeIoT.LoadBench;

/// <summary>
/// The hub CLI as a child process, started from the EdgeIoT.Hub.dll that the build copies next to
/// this program, with its output kept for error messages.
/// </summary>
public sealed class HubProcess : IAsyncDisposable
{
    private const int KeptLines = 40;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private HubProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Processor time of the hub process so far, user and system.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
        }
    }

    public static HubProcess Start(IEnumerable<string> arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "EdgeIoT.Hub.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The hub {dll} is missing; build tests/EdgeIoT.LoadBench again.", dll);
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var hub = new HubProcess(process);
        process.OutputDataReceived += (_, line) => hub.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => hub.Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return hub;
    }

    /// <summary>Waits until <paramref name="path"/> exists, failing early with the hub's output if it exits.</summary>
    public async Task WaitForFileAsync(string path, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (!File.Exists(path))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"The hub process exited with code {_process.ExitCode} before writing {path}:\n{string.Join('\n', _output)}");
            }

            try
            {
                await poll.WaitForNextTickAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"The hub process did not write {path} within {timeout.TotalSeconds} s:\n{string.Join('\n', _output)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > KeptLines && _output.TryDequeue(out _))
        {
        }
    }
}
