using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EdgeIoT.Hub.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// The hub's MQTT side. In Embedded mode it runs an MQTTnet broker: devices authenticate with
/// their enrolled credentials, and the <see cref="PublishRouter"/> enforces topic permissions and
/// stores events before the PUBACK. In External mode it hands everything to the
/// <see cref="ExternalBrokerClient"/>.
/// </summary>
public sealed class HubBroker : IHostedService, IAsyncDisposable
{
    /// <summary>Client id under which the hub itself publishes; devices may not use it.</summary>
    public const string HubClientId = "edgeiot-hub";

    private const int BindAttempts = 5;

    private readonly HubOptions _options;
    private readonly ConnectionGuard _guard;
    private readonly PublishRouter _router;
    private readonly ExternalBrokerClient _external;
    private readonly ILogger<HubBroker> _logger;
    private MqttServer? _server;
    private X509Certificate2? _certificate;

    public HubBroker(
        HubOptions options,
        ConnectionGuard guard,
        PublishRouter router,
        ExternalBrokerClient external,
        ILogger<HubBroker> logger)
    {
        _options = options;
        _guard = guard;
        _router = router;
        _external = external;
        _logger = logger;
    }

    /// <summary>
    /// Plain TCP port that devices connect to, known after start even when the options asked for
    /// port 0: the embedded broker's port, or the external broker's device port. 0 when the
    /// embedded broker listens with TLS only.
    /// </summary>
    public int Port { get; private set; }

    /// <summary>TLS port of the embedded broker; 0 when TLS is off.</summary>
    public int TlsPort { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Mqtt.Mode == BrokerMode.External)
        {
            await _external.StartAsync(cancellationToken).ConfigureAwait(false);
            Port = _options.Mqtt.External.DevicePort ?? _options.Mqtt.External.Port;
            return;
        }

        IPAddress address = IPAddress.Parse(_options.Mqtt.BindAddress);
        BrokerTlsOptions tls = _options.Mqtt.Tls;
        bool plain = !tls.Enabled || tls.KeepPlainEndpoint;
        for (int attempt = 1; ; attempt++)
        {
            int port = plain ? ResolvePort(address, _options.Mqtt.Port) : 0;
            int tlsPort = tls.Enabled ? ResolvePort(address, tls.Port) : 0;
            MqttServer server = CreateServer(address, port, tlsPort);
            try
            {
                await server.StartAsync().ConfigureAwait(false);
                _server = server;
                Port = port;
                TlsPort = tlsPort;
                break;
            }
            catch (SocketException) when ((_options.Mqtt.Port == 0 || tls.Port == 0) && attempt < BindAttempts)
            {
                // Another process took a probed port between probe and bind; probe again.
                server.Dispose();
            }
        }

        if (plain)
        {
            BrokerLog.Started(_logger, address.ToString(), Port, _options.Venue);
        }

        if (tls.Enabled)
        {
            BrokerLog.TlsStarted(_logger, address.ToString(), TlsPort);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_options.Mqtt.Mode == BrokerMode.External)
        {
            await _external.StopAsync().ConfigureAwait(false);
            return;
        }

        if (_server is { IsStarted: true })
        {
            await _server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes from the hub itself, bypassing the device permissions.</summary>
    public async Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);

        if (_options.Mqtt.Mode == BrokerMode.External)
        {
            await _external.PublishAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

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

    public async ValueTask DisposeAsync()
    {
        _server?.Dispose();
        _certificate?.Dispose();
        await _external.DisposeAsync().ConfigureAwait(false);
    }

    private static int ResolvePort(IPAddress address, int configured) =>
        configured == 0 ? ProbeFreePort(address) : configured;

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

    // MQTTnet 5 binds a second listener to the IPv6 wildcard by default, which would expose a
    // broker bound to 127.0.0.1 on every IPv6 interface. IPAddress.None skips that listener.
    private static IPAddress Ipv6Counterpart(IPAddress address)
    {
        if (address.Equals(IPAddress.Any))
        {
            return IPAddress.IPv6Any;
        }

        return IPAddress.IsLoopback(address) ? IPAddress.IPv6Loopback : IPAddress.None;
    }

    private MqttServer CreateServer(IPAddress address, int port, int tlsPort)
    {
        MqttServerOptionsBuilder builder = new MqttServerOptionsBuilder().WithPersistentSessions(true);
        builder = port == 0
            ? builder.WithoutDefaultEndpoint()
            : builder.WithDefaultEndpoint()
                .WithDefaultEndpointBoundIPAddress(address)
                .WithDefaultEndpointBoundIPV6Address(Ipv6Counterpart(address))
                .WithDefaultEndpointPort(port);
        if (tlsPort != 0)
        {
            _certificate ??= X509CertificateLoader.LoadPkcs12FromFile(
                _options.Mqtt.Tls.CertificateFile!, _options.Mqtt.Tls.CertificatePassword);
            builder = builder.WithEncryptedEndpoint()
                .WithEncryptedEndpointBoundIPAddress(address)
                .WithEncryptedEndpointBoundIPV6Address(Ipv6Counterpart(address))
                .WithEncryptedEndpointPort(tlsPort)
                .WithEncryptionCertificate(_certificate)
                .WithEncryptionSslProtocol(SslProtocols.Tls12 | SslProtocols.Tls13);
        }

        // Persistent sessions let devices that connect with clean start off and a session expiry
        // get the QoS 1 messages (check responses, key lists) sent while they were away.
        MqttServer server = new MqttServerFactory().CreateMqttServer(builder.Build());
        server.ValidatingConnectionAsync += _guard.ValidateConnectionAsync;
        server.InterceptingSubscriptionAsync += _guard.InterceptSubscriptionAsync;
        server.ClientConnectedAsync += _guard.OnClientConnectedAsync;
        server.ClientDisconnectedAsync += _guard.OnClientDisconnectedAsync;
        server.InterceptingPublishAsync += _router.InterceptPublishAsync;
        return server;
    }
}
