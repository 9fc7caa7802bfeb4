using System.Net;
using System.Net.Sockets;
using EdgeIoT.Hub.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// The embedded MQTTnet broker. Devices authenticate with their enrolled credentials; the
/// <see cref="PublishRouter"/> enforces topic permissions and stores events before the PUBACK.
/// </summary>
public sealed class HubBroker : IHostedService, IAsyncDisposable
{
    /// <summary>Client id under which the hub itself publishes; devices may not use it.</summary>
    public const string HubClientId = "edgeiot-hub";

    private const int BindAttempts = 5;

    private readonly HubOptions _options;
    private readonly ConnectionGuard _guard;
    private readonly PublishRouter _router;
    private readonly ILogger<HubBroker> _logger;
    private MqttServer? _server;

    public HubBroker(HubOptions options, ConnectionGuard guard, PublishRouter router, ILogger<HubBroker> logger)
    {
        _options = options;
        _guard = guard;
        _router = router;
        _logger = logger;
    }

    /// <summary>TCP port the broker listens on, known after start even when the options asked for port 0.</summary>
    public int Port { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        IPAddress address = IPAddress.Parse(_options.Mqtt.BindAddress);
        for (int attempt = 1; ; attempt++)
        {
            int port = _options.Mqtt.Port == 0 ? ProbeFreePort(address) : _options.Mqtt.Port;
            MqttServer server = CreateServer(address, port);
            try
            {
                await server.StartAsync().ConfigureAwait(false);
                _server = server;
                Port = port;
                break;
            }
            catch (SocketException) when (_options.Mqtt.Port == 0 && attempt < BindAttempts)
            {
                // Another process took the probed port between probe and bind; probe again.
                server.Dispose();
            }
        }

        BrokerLog.Started(_logger, address.ToString(), Port, _options.Venue);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is { IsStarted: true })
        {
            await _server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes from the hub itself, bypassing the device permissions.</summary>
    public async Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);

        if (_server is not { IsStarted: true })
        {
            return;
        }

        var injected = new InjectedMqttApplicationMessage(message)
        {
            SenderClientId = HubClientId,
            CustomSessionItems = SessionIdentity.HubItems(),
        };
        await _server.InjectApplicationMessage(injected, cancellationToken).ConfigureAwait(false);
    }

    public Task PublishRetainedAsync(string topic, byte[] payload, CancellationToken cancellationToken = default)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag(true)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        BrokerLog.RetainedPublished(_logger, topic, payload.Length);
        return PublishAsync(message, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }

    // MQTTnet does not report the port its listener bound, so port 0 is resolved by binding a
    // probe socket first. The small race with other processes is handled by retrying.
    private static int ProbeFreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private MqttServer CreateServer(IPAddress address, int port)
    {
        MqttServerOptions serverOptions = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(address)
            .WithDefaultEndpointPort(port)
            .WithPersistentSessions(true)
            .Build();
        // Persistent sessions let devices that connect with clean start off and a session expiry
        // get the QoS 1 messages (check responses, key lists) sent while they were away.
        MqttServer server = new MqttServerFactory().CreateMqttServer(serverOptions);
        server.ValidatingConnectionAsync += _guard.ValidateConnectionAsync;
        server.InterceptingSubscriptionAsync += _guard.InterceptSubscriptionAsync;
        server.ClientConnectedAsync += _guard.OnClientConnectedAsync;
        server.ClientDisconnectedAsync += _guard.OnClientDisconnectedAsync;
        server.InterceptingPublishAsync += _router.InterceptPublishAsync;
        return server;
    }
}
