using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeIoT.Hub.Options;

namespace EdgeIoT.LoadBench;

/// <summary>
/// A real Mosquitto broker (Debian's mosquitto package) for the hub tests and the load
/// benchmark, started by <see cref="MosquittoLauncher"/> in a new temporary folder that contains its
/// configuration, an empty password file and ACL file that the hub rewrites, and its pid file.
/// </summary>
public sealed class MosquittoProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private MosquittoProcess(string directory, StartedBroker broker)
    {
        Directory = directory;
        Port = broker.Port;
        _process = broker.Process;
        _output = broker.Output;
    }

    /// <summary>Path of the broker: EDGEIOT_TEST_MOSQUITTO, else /usr/sbin/mosquitto or mosquitto on PATH; null when absent.</summary>
    public static string? ExecutablePath => MosquittoLauncher.ExecutablePath;

    /// <summary>What to do when <see cref="ExecutablePath"/> is null.</summary>
    public static string InstallHint => MosquittoLauncher.InstallHint;

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
        string directory = Path.Combine(Path.GetTempPath(), "edgeiot-mosquitto", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        string passwordFile = Path.Combine(directory, "passwords");
        string aclFile = Path.Combine(directory, "acl");
        File.WriteAllText(passwordFile, string.Empty);
        File.WriteAllText(aclFile, string.Empty);

        StartedBroker broker = await MosquittoLauncher.StartAsync(port =>
        {
            string path = Path.Combine(directory, "mosquitto.conf");
            string config = MosquittoLauncher.Config(
                port, passwordFile, aclFile, Path.Combine(directory, "mosquitto.pid"), "max_inflight_messages 0\n" + extraConfig);
            File.WriteAllText(path, config);
            return path;
        });
        return new MosquittoProcess(directory, broker);
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
        await MosquittoLauncher.StopAsync(_process);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover folder in the temp directory is harmless.
        }
    }
}
