using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>
/// One EdgeIoT service started as its own OS process from its build output, with its
/// output kept so a failing test can show what the process printed.
/// </summary>
public sealed class ProcessHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _transcript = new();

    private ProcessHost(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>Starts <c>dotnet {project}.dll {arguments}</c> from the project's build output.</summary>
    public static ProcessHost Start(
        string projectPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        string dll = RepositoryPaths.BuildOutput(projectPath);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var host = new ProcessHost(Path.GetFileNameWithoutExtension(dll), process);
        process.OutputDataReceived += (_, line) => host.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => host.Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Every line the process wrote, for checks over its whole log.</summary>
    public IReadOnlyCollection<string> Transcript => _transcript;

    /// <summary>The last lines the process wrote, for assertion messages.</summary>
    public string RecentOutput() => string.Join(Environment.NewLine, _output);

    /// <summary>Waits until <paramref name="path"/> exists, failing early if the process exits.</summary>
    public async Task WaitForFileAsync(string path, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (!File.Exists(path))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{Name} exited with code {_process.ExitCode} before writing {path}:{Environment.NewLine}{RecentOutput()}");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"{Name} did not write {path} within {timeout.TotalSeconds} s:{Environment.NewLine}{RecentOutput()}");
            }
        }
    }

    /// <summary>Ends the process at once, like a power cut (SIGKILL).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        _transcript.Enqueue(line);
        while (_output.Count > 200)
        {
            _output.TryDequeue(out _);
        }
    }
}
