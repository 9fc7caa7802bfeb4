using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace EdgeIoT.Hub.Integration.Tests;

/// <summary>
/// A Mosquitto process (Debian's mosquitto package) on a free loopback port, configured with the
/// password file and ACL file that the hub's own <c>mosquitto-auth</c> command wrote, and a pid
/// file so the hub can make it reload them with SIGHUP after an enrollment.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private const int StartAttempts = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private MosquittoBroker(int port, string pidFile, Process process, ConcurrentQueue<string> output)
    {
        Port = port;
        PidFile = pidFile;
        _process = process;
        _output = output;
    }

    /// <summary>Path of the broker: EDGEIOT_TEST_MOSQUITTO, else /usr/sbin/mosquitto or mosquitto on PATH; null when absent.</summary>
    public static string? ExecutablePath { get; } = FindExecutable();

    public int Port { get; }

    public string PidFile { get; }

    /// <summary>What the broker printed so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the broker on the given files in <paramref name="directory"/> and waits until it runs.</summary>
    public static async Task<MosquittoBroker> StartAsync(string directory, string passwordFile, string aclFile)
    {
        string executable = ExecutablePath ?? throw new InvalidOperationException(
            "mosquitto is not installed; install it with: apt-get install mosquitto");
        string pidFile = Path.Combine(directory, "mosquitto.pid");

        for (int attempt = 1; ; attempt++)
        {
            int port = ProbeFreePort();
            string config = Path.Combine(directory, "mosquitto.conf");
            File.WriteAllText(config, Config(port, passwordFile, aclFile, pidFile));
            var output = new ConcurrentQueue<string>();
            Process process = Launch(executable, config, output, out Task running);
            Task finished = await Task.WhenAny(running, process.WaitForExitAsync(), Task.Delay(StartTimeout));
            if (finished == running)
            {
                return new MosquittoBroker(port, pidFile, process, output);
            }

            process.Kill();
            process.Dispose();

            // Another process may have taken the probed port; anything else fails the last attempt.
            if (attempt == StartAttempts)
            {
                throw new InvalidOperationException(
                    $"mosquitto did not start within {StartTimeout.TotalSeconds} s:\n{string.Join('\n', output)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    // persistence false: the broker keeps the hub's session in memory, which outlives a killed
    // hub process because the broker itself keeps running.
    private static string Config(int port, string passwordFile, string aclFile, string pidFile)
    {
        // Running as root, Mosquitto would switch to the mosquitto user and could not read the
        // files in this root-owned temporary folder, so it keeps the current user.
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
            {user}
            """;
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
