using System.ComponentModel;
using System.Diagnostics;
using EdgeIoT.Hub;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// The hub as its own OS process, started with the run command an operator uses. A power
/// loss kills it (SIGKILL on Linux and macOS), so the hub gets no chance to flush or close
/// anything, as when the venue's power goes. The next start runs on the same data folder.
/// </summary>
public sealed class HubProcess : IHubHost
{
    /// <summary>Longest wait for a started hub to write its endpoints file: a cold start loads and compiles the whole hub.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(100);

    private readonly HubSettings _settings;
    private readonly HubProcessOutput _output;
    private readonly ILogger _logger;
    private Process? _process;
    private OrphanWatchdog? _watchdog;

    public HubProcess(HubSettings settings, string logFile)
    {
        ArgumentNullException.ThrowIfNull(settings);

        _settings = settings;
        _output = new HubProcessOutput(logFile);
        _logger = settings.Loggers.CreateLogger<HubProcess>();
    }

    public int? ProcessId => _process?.Id;

    /// <summary>File that receives the hub's standard output and error.</summary>
    public string LogFile => _output.File;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // A killed hub leaves its endpoints file behind; with it gone, the file that appears is the new hub's.
        string endpointsFile = Path.Combine(_settings.DataDirectory, HubEndpoints.FileName);
        File.Delete(endpointsFile);

        Process process = Launch();
        _process = process;
        _logger.LogInformation("Hub process {ProcessId} started, output in {LogFile}", process.Id, _output.File);
        await WaitUntilReadyAsync(process, endpointsFile, cancellationToken);
        _logger.LogInformation("Hub process {ProcessId} is ready", process.Id);
    }

    /// <summary>Kills the hub and waits for it to exit; the detail names the killed process.</summary>
    public async Task<string?> PowerLossAsync()
    {
        if (_process is not { } process)
        {
            return null;
        }

        _process = null;
        int processId = process.Id;
        await KillAsync(process, entireProcessTree: false);
        _logger.LogInformation("Hub process {ProcessId} killed for a power loss", processId);
        return OperatingSystem.IsWindows() ? $"terminated pid {processId}" : $"SIGKILL pid {processId}";
    }

    /// <summary>Kills a hub still running: the run is over, so its graceful shutdown would add nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            int processId = process.Id;
            await KillAsync(process, entireProcessTree: true);
            _logger.LogInformation("Hub process {ProcessId} killed at the end of the run", processId);
        }

        _output.Dispose();
    }

    private Process Launch()
    {
        string workingDirectory = Path.GetDirectoryName(Path.GetFullPath(_settings.DataDirectory))!;
        var process = new Process
        {
            StartInfo = HubProgramFiles.StartInfo(HubRunArguments.For(_settings), workingDirectory),
        };
        string host = process.StartInfo.FileName;
        _output.Attach(process);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new InvalidOperationException(
                $"Starting the hub program with {host} failed: {ex.Message}. Check that the dotnet host is installed.",
                ex);
        }

        ChildProcessGuard.Track(process);
        _watchdog = OrphanWatchdog.Start(process.Id);
        _output.BeginStart(process.Id);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilReadyAsync(Process process, string endpointsFile, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (!File.Exists(endpointsFile))
        {
            if (process.HasExited)
            {
                // Waiting again lets the last lines of its output reach the log.
                await process.WaitForExitAsync(cancellationToken);
                throw new InvalidOperationException(
                    $"Hub process {process.Id} exited with code {process.ExitCode} before it was ready. "
                    + $"Last lines of {_output.File}:{Environment.NewLine}{_output.Tail()}");
            }

            if (waited.Elapsed > ReadyTimeout)
            {
                throw new TimeoutException(
                    $"Hub process {process.Id} did not write {endpointsFile} within {ReadyTimeout.TotalSeconds} s. "
                    + $"Last lines of {_output.File}:{Environment.NewLine}{_output.Tail()}");
            }

            await Task.Delay(ReadyPollInterval, cancellationToken);
        }
    }

    private async Task KillAsync(Process process, bool entireProcessTree)
    {
        _watchdog?.Dispose();
        _watchdog = null;
        try
        {
            process.Kill(entireProcessTree);
            await process.WaitForExitAsync();
        }
        finally
        {
            ChildProcessGuard.Forget(process);
            process.Dispose();
        }
    }
}
