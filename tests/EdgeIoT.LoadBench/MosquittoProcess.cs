using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using EdgeIoT.Hub.Options;

namespace EdgeIoT.LoadBench;

/// <summary>
/// A real Mosquitto broker (Debian's mosquitto package) for the hub tests and the load
/// benchmark, started on a free loopback port with a generated configuration. The
/// configuration forbids anonymous logins and names a password file and an ACL file that the
/// hub rewrites, and a pid file, so the hub can make Mosquitto reload them with SIGHUP.
/// </summary>
public sealed class MosquittoProcess : IAsyncDisposable
{
    private const int StartAttempts = 5;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private MosquittoProcess(string directory, int port, Process process, ConcurrentQueue<string> output)
    {
        Directory = directory;
        Port = port;
        _process = process;
        _output = output;
    }

    /// <summary>Path of the broker: EDGEIOT_TEST_MOSQUITTO, else /usr/sbin/mosquitto or mosquitto on PATH; null when absent.</summary>
    public static string? ExecutablePath { get; } = FindExecutable();

    public string Directory { get; }

    public int Port { get; }

    public string PasswordFile => Path.Combine(Directory, "passwords");

    public string AclFile => Path.Combine(Directory, "acl");

    public string PidFile => Path.Combine(Directory, "mosquitto.pid");

    /// <summary>What the broker printed so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the broker and waits until it reports that it is running.</summary>
    /// <param name="extraConfig">Further configuration lines, such as listener options for a benchmark.</param>
    public static async Task<MosquittoProcess> StartAsync(string? extraConfig = null)
    {
        string executable = ExecutablePath ?? throw new InvalidOperationException(
            "mosquitto is not installed; install it with: apt-get install mosquitto");
        string directory = Path.Combine(Path.GetTempPath(), "edgeiot-mosquitto", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "passwords"), string.Empty);
        File.WriteAllText(Path.Combine(directory, "acl"), string.Empty);

        for (int attempt = 1; ; attempt++)
        {
            int port = ProbeFreePort();
            string config = WriteConfig(directory, port, extraConfig);
            var output = new ConcurrentQueue<string>();
            Process process = Launch(executable, config, output, out Task running);
            Task finished = await Task.WhenAny(running, process.WaitForExitAsync(), Task.Delay(StartTimeout));
            if (finished == running)
            {
                return new MosquittoProcess(directory, port, process, output);
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

    /// <summary>Points the hub at this broker in External mode, with the hub's account and file paths.</summary>
    public void ConfigureHub(HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        options.Mqtt.Mode = BrokerMode.External;
        options.Mqtt.External.Host = "127.0.0.1";
        options.Mqtt.External.Port = Port;
        options.Mqtt.External.Password = Convert.ToBase64String(
            System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        options.Mqtt.External.PasswordFile = PasswordFile;
        options.Mqtt.External.AclFile = AclFile;
        options.Mqtt.External.PidFile = PidFile;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover folder in the temp directory is harmless.
        }
    }

    private static string WriteConfig(string directory, int port, string? extraConfig)
    {
        // Running as root, Mosquitto would switch to the mosquitto user and could not read the
        // files in this root-owned temporary folder, so it keeps the current user.
        string user = Environment.UserName == "root" ? "user root\n" : string.Empty;
        string config = $"""
            per_listener_settings false
            listener {port} 127.0.0.1
            allow_anonymous false
            password_file {Path.Combine(directory, "passwords")}
            acl_file {Path.Combine(directory, "acl")}
            pid_file {Path.Combine(directory, "mosquitto.pid")}
            persistence false
            max_queued_messages 100000
            max_inflight_messages 0
            log_dest stderr
            log_type error
            log_type warning
            log_type notice
            log_type information
            {user}{extraConfig}
            """;
        string path = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(path, config);
        return path;
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
