using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeIoT.LoadBench;

namespace EdgeIoT.Hub.Integration.Tests;

/// <summary>
/// A Mosquitto process (Debian's mosquitto package) on a free loopback port, configured with the
/// password file and ACL file that the hub's own <c>mosquitto-auth</c> command wrote, and a pid
/// file so the hub can make it reload them with SIGHUP after an enrollment.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private MosquittoBroker(string pidFile, StartedBroker broker)
    {
        Port = broker.Port;
        PidFile = pidFile;
        _process = broker.Process;
        _output = broker.Output;
    }

    /// <summary>Path of the broker: EDGEIOT_TEST_MOSQUITTO, else /usr/sbin/mosquitto or mosquitto on PATH; null when absent.</summary>
    public static string? ExecutablePath => MosquittoLauncher.ExecutablePath;

    public int Port { get; }

    public string PidFile { get; }

    /// <summary>What the broker printed so far, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the broker on the given files in <paramref name="directory"/> and waits until it runs.</summary>
    public static async Task<MosquittoBroker> StartAsync(string directory, string passwordFile, string aclFile)
    {
        string pidFile = Path.Combine(directory, "mosquitto.pid");
        StartedBroker broker = await MosquittoLauncher.StartAsync(port =>
        {
            string config = Path.Combine(directory, "mosquitto.conf");
            File.WriteAllText(config, MosquittoLauncher.Config(port, passwordFile, aclFile, pidFile));
            return config;
        });
        return new MosquittoBroker(pidFile, broker);
    }

    public ValueTask DisposeAsync() => new(MosquittoLauncher.StopAsync(_process));
}
