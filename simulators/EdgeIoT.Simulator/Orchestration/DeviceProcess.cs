using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.Simulator.Orchestration;

/// <summary>
/// One device program running as its own OS process from the simulator's build output, with
/// its console output appended to a log file. Killing it with SIGKILL is a real power cut,
/// because nothing in the process runs again and its files keep what it had written.
/// </summary>
public sealed partial class DeviceProcess : IAsyncDisposable
{
    private static readonly TimeSpan CleanStopTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly ILogger _logger;
    private readonly DeviceProcessOptions _options;
    private OrphanWatchdog? _watchdog;
    private bool _logClosed;

    private DeviceProcess(Process process, StreamWriter log, ILogger logger, DeviceProcessOptions options)
    {
        _process = process;
        _log = log;
        _logger = logger;
        _options = options;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, or null while the process runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>
    /// Starts <c>dotnet exec {program}.dll</c> from the simulator's folder, where the build
    /// copies every referenced program. Its standard input stays open for <c>--supervised</c>.
    /// </summary>
    public static DeviceProcess Start(
        string program, IEnumerable<string> arguments, string logFile, ILogger logger, DeviceProcessOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        options ??= new DeviceProcessOptions();

        string dll = Path.Combine(AppContext.BaseDirectory, program + ".dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Device program {dll} was not found. Build the simulator, which copies it there.", dll);
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(logFile)!,
        };
        // The build copies one set of dependencies, resolved for the simulator, into its folder.
        // Where two programs want different versions of a package, the program's own deps file
        // can name a version that is not there, so the simulator's deps and runtime config,
        // which describe the files that are there, are used instead.
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add("--depsfile");
        start.ArgumentList.Add(SimulatorFile(".deps.json"));
        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(SimulatorFile(".runtimeconfig.json"));
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in options.Environment)
        {
            start.Environment[name] = value;
        }

        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = start };
        var device = new DeviceProcess(process, log, logger, options);
        process.OutputDataReceived += (_, line) => device.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => device.Keep(line.Data);
        process.Start();
        ChildProcessGuard.Track(process);
        if (!options.Supervised)
        {
            device._watchdog = OrphanWatchdog.Start(process.Id);
        }

        device.Keep(string.Create(
            System.Globalization.CultureInfo.InvariantCulture, $"--- {program} started as pid {process.Id} at {DateTimeOffset.UtcNow:O}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        LogStarted(logger, program, process.Id, logFile);
        return device;
    }

    /// <summary>Ends the process with SIGKILL and waits until the operating system has reaped it.</summary>
    public async Task KillAsync()
    {
        int id = _process.Id;
        bool wasRunning = !_process.HasExited;
        if (wasRunning)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _watchdog?.Dispose();
        _watchdog = null;
        ChildProcessGuard.Forget(_process);
        if (wasRunning)
        {
            LogKilled(_logger, id);
        }
    }

    /// <summary>
    /// Stops the process the clean way: closing its standard input ends a <c>--supervised</c>
    /// device, and SIGTERM ends any other program. One that has not exited after
    /// <see cref="CleanStopTimeout"/> is killed.
    /// </summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            await RequestStopAsync();
            using var timeout = new CancellationTokenSource(CleanStopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                LogCleanStopTimedOut(_logger, _process.Id, CleanStopTimeout.TotalSeconds);
            }
        }

        await KillAsync();
    }

    /// <summary>Stops the process cleanly if it still runs, and closes its log.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        lock (_logLock)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    private async Task RequestStopAsync()
    {
        if (_options.Supervised)
        {
            _process.StandardInput.Close();
            return;
        }

        // Process has no way to send SIGTERM, so the kill command sends it.
        using Process terminate = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await terminate.WaitForExitAsync();
    }

    private static string SimulatorFile(string extension) =>
        Path.Combine(AppContext.BaseDirectory, typeof(DeviceProcess).Assembly.GetName().Name + extension);

    /// <summary>The .NET host that runs the simulator, so the device runs on the same runtime.</summary>
    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (host is not null && File.Exists(host))
        {
            return host;
        }

        string? current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }

        _options.OnOutputLine?.Invoke(line);
    }

    [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "Started {Program} as pid {ProcessId}, output in {LogFile}")]
    private static partial void LogStarted(ILogger logger, string program, int processId, string logFile);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Information, Message = "Device process {ProcessId} killed")]
    private static partial void LogKilled(ILogger logger, int processId);

    [LoggerMessage(EventId = 7303, Level = LogLevel.Warning,
        Message = "Device process {ProcessId} did not stop within {Seconds} s of its input closing; killing it")]
    private static partial void LogCleanStopTimedOut(ILogger logger, int processId, double seconds);
}
