using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeIoT.LoadBench;

/// <summary>
/// Finds and starts Debian's mosquitto broker on a free loopback port with a generated
/// configuration, for the load benchmark (<c>MosquittoProcess</c>) and, linked as source, the hub
/// integration tests (<c>MosquittoBroker</c>). The configuration forbids anonymous logins and
/// names a password file, an ACL file and a pid file, so the hub can make the broker reload the
/// first two with SIGHUP.
/// </summary>
internal static class MosquittoLauncher
{
    public const string InstallHint =
        "install it with 'apt-get install mosquitto', or set EDGEIOT_TEST_MOSQUITTO to the path of the mosquitto binary";

    private const int StartAttempts = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Path of the broker: EDGEIOT_TEST_MOSQUITTO, else /usr/sbin/mosquitto or mosquitto on PATH; null when absent.</summary>
    public static string? ExecutablePath { get; } = FindExecutable();

    /// <summary>
    /// Starts the broker with the configuration file that <paramref name="writeConfig"/> writes for
    /// a probed free port, and waits until the broker reports that it runs. Another process may take
    /// the probed port first, so a start that fails is retried on a new port.
    /// </summary>
    /// <exception cref="MosquittoNotInstalledException">No mosquitto binary was found.</exception>
    public static async Task<StartedBroker> StartAsync(Func<int, string> writeConfig)
    {
        ArgumentNullException.ThrowIfNull(writeConfig);

        string executable = ExecutablePath ?? throw new MosquittoNotInstalledException($"mosquitto is not installed; {InstallHint}.");
        for (int attempt = 1; ; attempt++)
        {
            int port = ProbeFreePort();
            string config = writeConfig(port);
            var output = new ConcurrentQueue<string>();
            Process process = Launch(executable, config, output, out Task running);
            Task finished = await Task.WhenAny(running, process.WaitForExitAsync(), Task.Delay(StartTimeout));
            if (finished == running)
            {
                return new StartedBroker(port, process, output);
            }

            process.Kill();
            process.Dispose();
            if (attempt == StartAttempts)
            {
                throw new InvalidOperationException(
                    $"mosquitto did not start within {StartTimeout.TotalSeconds} s:\n{string.Join('\n', output)}");
            }
        }
    }

    /// <summary>
    /// Returns the configuration for one loopback listener on <paramref name="port"/>. Persistence is
    /// off: the broker keeps sessions in memory, which outlive a killed hub because the broker runs on.
    /// </summary>
    /// <param name="extraConfig">Further configuration lines, such as listener options for a benchmark.</param>
    public static string Config(int port, string passwordFile, string aclFile, string pidFile, string? extraConfig = null)
    {
        // Running as root, Mosquitto would switch to the mosquitto user and could not read the
        // files in a root-owned temporary folder, so it keeps the current user.
        string user = Environment.UserName == "root" ? "user root\n" : string.Empty;
        return $"""
            per_listener_settings false
            listener {port} 127.0.0.1
            allow_anonymous false
            password_file {passwordFile}
            acl_file {aclFile}
            pid_file {pidFile}
            persistence false
            max_queued_messages 100000
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            {user}{extraConfig}
            """;
    }

    /// <summary>Kills the broker unless it has exited, and waits for it.</summary>
    public static async Task StopAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);

        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static Process Launch(string executable, string config, ConcurrentQueue<string> output, out Task running)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler keep = (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            output.Enqueue(line.Data);
            if (line.Data.Contains(" running", StringComparison.Ordinal))
            {
                started.TrySetResult();
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        running = started.Task;
        return process;
    }

    private static int ProbeFreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private static string? FindExecutable()
    {
        string? configured = Environment.GetEnvironmentVariable("EDGEIOT_TEST_MOSQUITTO");
        if (!string.IsNullOrEmpty(configured) && File.Exists(configured))
        {
            return configured;
        }

        if (File.Exists("/usr/sbin/mosquitto"))
        {
            return "/usr/sbin/mosquitto";
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "mosquitto"))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>A running broker process, its port and what it printed so far.</summary>
internal sealed record StartedBroker(int Port, Process Process, ConcurrentQueue<string> Output);

/// <summary>No mosquitto binary was found. The message names the package and the variable that provide one.</summary>
internal sealed class MosquittoNotInstalledException : InvalidOperationException
{
    public MosquittoNotInstalledException()
    {
    }

    public MosquittoNotInstalledException(string message)
        : base(message)
    {
    }

    public MosquittoNotInstalledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
