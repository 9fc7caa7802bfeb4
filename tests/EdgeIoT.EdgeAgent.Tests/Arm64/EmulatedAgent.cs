using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeIoT.EdgeAgent.Tests.Arm64;

/// <summary>
/// The published arm64 agent running as its own process under qemu-aarch64-static, with its
/// output kept for waits and for assertion messages.
/// </summary>
internal sealed class EmulatedAgent : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _waits = [];
    private readonly Lock _waitsLock = new();

    private EmulatedAgent(Process process)
    {
        _process = process;
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Every line the agent wrote so far, stdout and stderr interleaved.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>Starts <c>qemu-aarch64-static {publishFolder}/EdgeIoT.EdgeAgent {arguments}</c>.</summary>
    public static EmulatedAgent Start(string publishFolder, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(QemuArm64FactAttribute.QemuPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = publishFolder,
        };
        start.ArgumentList.Add(Path.Combine(publishFolder, Arm64Publish.AppHostName));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var agent = new EmulatedAgent(process);
        process.OutputDataReceived += (_, line) => agent.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => agent.Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>Waits until the agent exits and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    /// <summary>Waits until a line containing <paramref name="text"/> appears.</summary>
    public async Task WaitForOutputAsync(string text, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitsLock)
        {
            if (_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            _waits.Add((text, seen));
        }

        Task exited = _process.WaitForExitAsync(cancellationToken);
        Task first = await Task.WhenAny(seen.Task, exited);
        if (first == exited && !seen.Task.IsCompleted)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The arm64 agent did not write '{text}' in time:{Environment.NewLine}{Output}");
            }

            throw new InvalidOperationException(
                $"The arm64 agent exited with code {_process.ExitCode} before writing '{text}':{Environment.NewLine}{Output}");
        }

        await seen.Task;
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

        lock (_waitsLock)
        {
            _output.Enqueue(line);
            foreach ((string text, TaskCompletionSource seen) in _waits)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    seen.TrySetResult();
                }
            }
        }
    }
}
