using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using EdgeIoT.Hub.Options;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// The hub as a client of an external MQTT 5 broker such as Mosquitto. It keeps a persistent
/// session, subscribes to device events, statuses and check requests with QoS 1, and
/// acknowledges each message to the broker only after the <see cref="DeviceMessageHandler"/>
/// has finished with it, so an event is in SQLite before the broker may forget it.
/// </summary>
public sealed class ExternalBrokerClient : IAsyncDisposable
{
    private readonly ExternalBrokerOptions _options;
    private readonly DeviceMessageHandler _handler;
    private readonly ILogger<ExternalBrokerClient> _logger;
    private readonly IMqttClient _client;
    private readonly string _venue;
    private readonly ConcurrentDictionary<string, byte[]> _retained = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _connectionLost = new(0, 1);
    private readonly TaskCompletionSource _firstConnection = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _connectionLoop;

    public ExternalBrokerClient(HubOptions options, DeviceMessageHandler handler, ILogger<ExternalBrokerClient> logger)
    {
        ArgumentNullException.ThrowIfNull(options);

        _options = options.Mqtt.External;
        _venue = options.Venue;
        _handler = handler;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageReceivedAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
    }

    public bool IsConnected => _client.IsConnected;

    /// <summary>Starts the connection loop and waits up to ConnectTimeout for the first connection.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _connectionLoop = Task.Run(() => RunConnectionLoopAsync(_stopping.Token), CancellationToken.None);
        try
        {
            await _firstConnection.Task.WaitAsync(_options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The hub still serves HTTP and keeps retrying; devices queue events in their outboxes meanwhile.
            BrokerLog.ExternalNotConnectedAtStart(_logger, _options.Host, _options.Port, _options.ConnectTimeout);
        }
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_connectionLoop is not null)
        {
            await _connectionLoop.ConfigureAwait(false);
        }

        if (_client.IsConnected)
        {
            // A normal disconnect keeps the session, so the broker queues events until the hub is back.
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder()
                .WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection)
                .Build()).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes from the hub. Retained messages are also kept and published again after every reconnect.</summary>
    public async Task PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);

        if (message.Retain)
        {
            _retained[message.Topic] = message.Payload.ToArray();
        }

        if (!_client.IsConnected)
        {
            return;
        }

        MqttClientPublishResult result = await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            BrokerLog.ExternalPublishRejected(_logger, message.Topic, result.ReasonCode.ToString());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _client.Dispose();
        _stopping.Dispose();
        _connectionLost.Dispose();
    }

    private async Task RunConnectionLoopAsync(CancellationToken stopping)
    {
        TimeSpan delay = TimeSpan.FromMilliseconds(100);
        int failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ConnectAsync(stopping).ConfigureAwait(false);
                BrokerLog.ExternalConnected(_logger, _options.Host, _options.Port, _options.ClientId, failures);
                _firstConnection.TrySetResult();
                failures = 0;
                delay = TimeSpan.FromMilliseconds(100);
                await _connectionLost.WaitAsync(stopping).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
                or MQTTnet.Adapter.MqttConnectingFailedException or InvalidOperationException
                or OperationCanceledException or System.Security.Authentication.AuthenticationException)
            {
                // The first failure of an outage is a Warning; the retries that follow are Debug.
                failures++;
                BrokerLog.ExternalConnectFailed(_logger, failures == 1 ? LogLevel.Warning : LogLevel.Debug,
                    _options.Host, _options.Port, failures, exception.Message);
            }

            try
            {
                await Task.Delay(delay, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        MqttClientConnectResult result = await _client.ConnectAsync(BuildOptions(), cancellationToken).ConfigureAwait(false);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode} {result.ReasonString}");
        }

        // Subscribing again is harmless when the session survived, and needed when the broker lost it.
        MqttClientSubscribeOptions subscriptions = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(Topics.EventFilter(_venue), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.StatusFilter(_venue), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.CheckRequest(_venue), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.SnapshotRequest(_venue), MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(Topics.KeyResyncRequestFilter(_venue), MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        MqttClientSubscribeResult subscribed = await _client.SubscribeAsync(subscriptions, cancellationToken).ConfigureAwait(false);
        MqttClientSubscribeResultItem? refused = subscribed.Items.FirstOrDefault(item =>
            item.ResultCode is not (MqttClientSubscribeResultCode.GrantedQoS1 or MqttClientSubscribeResultCode.GrantedQoS0));
        if (refused is not null)
        {
            throw new InvalidOperationException(
                $"the broker refused the subscription to {refused.TopicFilter.Topic}: {refused.ResultCode}; check the hub's ACL entry");
        }

        foreach ((string topic, byte[] payload) in _retained)
        {
            await PublishAsync(RetainedMessage(topic, payload), cancellationToken).ConfigureAwait(false);
        }
    }

    private MqttClientOptions BuildOptions()
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.Port)
            .WithClientId(_options.ClientId)
            .WithCredentials(_options.UserName, _options.Password)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_options.SessionExpiry.TotalSeconds)
            .WithReceiveMaximum(_options.ReceiveMaximum)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(10));
        if (_options.UseTls)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (!string.IsNullOrEmpty(_options.CaFile))
                {
                    var trust = new X509Certificate2Collection();
                    trust.ImportFromPemFile(_options.CaFile);
                    tls.WithTrustChain(trust);
                }
            });
        }

        return builder.Build();
    }

    private static MqttApplicationMessage RetainedMessage(string topic, byte[] payload) =>
        new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithRetainFlag(true)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected && !_stopping.IsCancellationRequested)
        {
            BrokerLog.ExternalDisconnected(_logger, _options.Host, _options.Port, args.Reason.ToString());
            if (_connectionLost.CurrentCount == 0)
            {
                _connectionLost.Release();
            }
        }

        return Task.CompletedTask;
    }

    // MQTTnet calls this handler for one message at a time, so handling goes on in the background
    // and the commits of many messages share one group commit. The broker stops sending while
    // ReceiveMaximum messages wait for their acknowledgement, and that is the back-pressure.
    private Task OnMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        args.AutoAcknowledge = false;
        _ = HandleAndAcknowledgeAsync(args);
        return Task.CompletedTask;
    }

    private async Task HandleAndAcknowledgeAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        MqttApplicationMessage message = args.ApplicationMessage;
        try
        {
            PublishOutcome outcome = await _handler.HandleAsync(Publisher(message), message, reply => PublishAsync(reply))
                .ConfigureAwait(false);
            if (outcome.ReasonCode == MqttPubAckReasonCode.ImplementationSpecificError)
            {
                // Not acknowledged: the broker sends the message again after the reconnect.
                await ReconnectForRedeliveryAsync().ConfigureAwait(false);
                return;
            }

            // Rejected messages are acknowledged as well: the device cannot see this hub's reason
            // code, and sending the same bytes again would not make them valid. The handler logged them.
            await args.AcknowledgeAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
            or OperationCanceledException or InvalidOperationException)
        {
            // The connection dropped before the acknowledgement. The broker delivers the message
            // again in the resumed session, and the event id makes the second store a no-op.
            BrokerLog.ExternalAcknowledgeFailed(_logger, message.Topic, exception.Message);
        }
        catch (Exception exception)
        {
            BrokerLog.HandlerFailed(_logger, exception, _options.ClientId);
            await ReconnectForRedeliveryAsync().ConfigureAwait(false);
        }
    }

    private async Task ReconnectForRedeliveryAsync()
    {
        if (_client.IsConnected && !_stopping.IsCancellationRequested)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder()
                .WithReason(MqttClientDisconnectOptionsReason.UnspecifiedError)
                .Build()).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Returns the device behind a message. The broker's ACL lets a device publish only below
    /// its own devices/{id}/ subtree, so the topic names it. Check and snapshot requests go to
    /// shared topics, so their response topic names the device, and only that device may read
    /// the response.
    /// </summary>
    private string Publisher(MqttApplicationMessage message)
    {
        bool sharedTopic = message.Topic == Topics.CheckRequest(_venue) || message.Topic == Topics.SnapshotRequest(_venue);
        string topic = sharedTopic ? message.ResponseTopic ?? string.Empty : message.Topic;
        return Topics.TryParseDeviceTopic(topic, _venue, out string deviceId, out _) ? deviceId : string.Empty;
    }
}
