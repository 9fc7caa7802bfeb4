using System.Text;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeIoT.LoadBench;

/// <summary>
/// The anchor: Mosquitto alone, with the same per-gate accounts and ACL rules, forwarding each
/// QoS 1 event to one QoS 1 subscriber in the place of the hub. Mosquitto sends the PUBACK
/// when it has the message in memory; nothing is written to disk.
/// </summary>
public sealed class MosquittoBaseline : IAsyncDisposable
{
    private const string SubscriberName = "bench-subscriber";

    private readonly MosquittoProcess _mosquitto;
    private readonly IMqttClient _subscriber;
    private readonly Dictionary<string, string> _passwords;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _disconnects = new();
    private long _forwarded;

    private MosquittoBaseline(MosquittoProcess mosquitto, IMqttClient subscriber, Dictionary<string, string> passwords)
    {
        _mosquitto = mosquitto;
        _subscriber = subscriber;
        _passwords = passwords;
        subscriber.ApplicationMessageReceivedAsync += _ =>
        {
            Interlocked.Increment(ref _forwarded);
            return Task.CompletedTask;
        };
        subscriber.DisconnectedAsync += args =>
        {
            if (args.ClientWasConnected)
            {
                _disconnects.Enqueue(
                    $"{DateTimeOffset.UtcNow:HH:mm:ss.fff} after {Forwarded} messages: {args.Reason} {args.ReasonString} {args.Exception?.GetType().Name} {args.Exception?.Message}");
            }

            return Task.CompletedTask;
        };
    }

    public int Port => _mosquitto.Port;

    /// <summary>What the broker printed so far: connections, disconnections and dropped messages.</summary>
    public string BrokerOutput => _mosquitto.Output;

    /// <summary>Times and reasons at which the subscriber lost its connection; its messages queued then are gone.</summary>
    public IReadOnlyCollection<string> SubscriberDisconnects => _disconnects;

    /// <summary>Messages the subscriber received so far.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    public static async Task<MosquittoBaseline> StartAsync(LoadProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);

        var passwords = new Dictionary<string, string>(StringComparer.Ordinal);
        var passwordFile = new StringBuilder();
        var aclFile = new StringBuilder();
        foreach (string user in Enumerable.Range(1, profile.Gates).Select(i => $"gate-{i}").Append(SubscriberName))
        {
            string password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
            passwords[user] = password;
            passwordFile.Append(user).Append(':').Append(MosquittoPassword.Hash(password)).Append('\n');
            aclFile.Append("user ").Append(user).Append('\n').Append(user == SubscriberName
                ? $"topic read {Topics.Root}/#\n\n"
                : $"topic write {Topics.Root}/{profile.Venue}/devices/{user}/#\n\n");
        }

        MosquittoProcess mosquitto = await MosquittoProcess.StartAsync();
        await File.WriteAllTextAsync(mosquitto.PasswordFile, passwordFile.ToString());
        await File.WriteAllTextAsync(mosquitto.AclFile, aclFile.ToString());
        await ReloadAsync(mosquitto);

        IMqttClient subscriber = new MqttClientFactory().CreateMqttClient();
        var baseline = new MosquittoBaseline(mosquitto, subscriber, passwords);
        await ConnectSubscriberAsync(subscriber, mosquitto.Port, passwords[SubscriberName]);
        await subscriber.SubscribeAsync(Topics.EventFilter(profile.Venue), MqttQualityOfServiceLevel.AtLeastOnce);
        return baseline;
    }

    public Task<(string User, string Password)> CredentialsAsync(string deviceId) =>
        Task.FromResult((deviceId, _passwords[deviceId]));

    public async ValueTask DisposeAsync()
    {
        if (_subscriber.IsConnected)
        {
            await _subscriber.DisconnectAsync();
        }

        _subscriber.Dispose();
        await _mosquitto.DisposeAsync();
    }

    private static async Task ReloadAsync(MosquittoProcess mosquitto)
    {
        string pid = (await File.ReadAllTextAsync(mosquitto.PidFile)).Trim();
        using var kill = System.Diagnostics.Process.Start("kill", ["-HUP", pid]);
        await kill.WaitForExitAsync();
    }

    private static async Task ConnectSubscriberAsync(IMqttClient subscriber, int port, string password)
    {
        MqttClientOptions options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(SubscriberName)
            .WithCredentials(SubscriberName, password)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .Build();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await subscriber.ConnectAsync(options, timeout.Token)).ResultCode != MqttClientConnectResultCode.Success)
        {
            // Mosquitto reloads the password file a moment after the SIGHUP.
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }
}
