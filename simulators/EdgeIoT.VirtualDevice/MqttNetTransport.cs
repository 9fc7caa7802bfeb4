using System.Buffers;
using EdgeIoT.Firmware.App;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.VirtualDevice;

/// <summary>
/// The device's MQTT 5 link through MQTTnet: persistent session, retained "offline" status as
/// last will, subscriptions to the hub's retained keys, delegations, snapshot, policy, time
/// beacons and key resync responses, and reconnects with exponential back-off and full jitter.
/// </summary>
public sealed partial class MqttNetTransport : IMqttTransport, IAsyncDisposable
{
    private static readonly TimeSpan MinBackOff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(10);

    private readonly VirtualEsp32Options _options;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _disconnected = new(0, 1);
    private Task _loop = Task.CompletedTask;

    public MqttNetTransport(VirtualEsp32Options options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _client.ApplicationMessageReceivedAsync += args =>
        {
            MessageReceived?.Invoke(args.ApplicationMessage.Topic, args.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
    }

    /// <summary>Raised for every message from a subscription, on an MQTTnet thread.</summary>
    public event Action<string, byte[]>? MessageReceived;

    /// <summary>Raised after each connect and subscribe.</summary>
    public event Action? Connected;

    /// <summary>Raised when an open connection to the broker closes, on an MQTTnet thread.</summary>
    public event Action? Disconnected;

    public bool IsConnected => _client.IsConnected;

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    public void Publish(string topic, byte[] payload, bool atLeastOnce, PublishCompletedHandler completed)
    {
        ArgumentNullException.ThrowIfNull(completed);

        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(atLeastOnce ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        _ = PublishAsync(message, completed);
    }

    /// <summary>
    /// Publishes a status from the firmware retained with QoS 1, such as the new versions after
    /// an install or a held hub clock step. Does nothing while disconnected, because the next
    /// connect publishes the status anyway.
    /// </summary>
    public void PublishStatus(byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);

        if (!_client.IsConnected)
        {
            return;
        }

        _ = PublishStatusQuietlyAsync(payload);
    }

    private async Task PublishStatusQuietlyAsync(byte[] payload)
    {
        try
        {
            await _client.PublishAsync(StatusMessage(payload), _stop.Token);
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
            or InvalidOperationException or OperationCanceledException or ObjectDisposedException)
        {
            LogStatusPublishFailed(_logger, exception.Message);
        }
    }

    /// <summary>Drops the connection without DISCONNECT, so the broker publishes the last will.</summary>
    public async Task AbortAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await IgnoreCancellation(_loop);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_client.IsConnected)
        {
            try
            {
                await PublishStatusAsync("offline", CancellationToken.None);
                await _client.DisconnectAsync();
            }
            catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException)
            {
                LogDisconnectFailed(_logger, exception.Message);
            }
        }

        await IgnoreCancellation(_loop);
        _client.Dispose();
        _stop.Dispose();
        _disconnected.Dispose();
    }

    private async Task PublishAsync(MqttApplicationMessage message, PublishCompletedHandler completed)
    {
        bool acknowledged = false;
        try
        {
            if (_client.IsConnected)
            {
                MqttClientPublishResult result = await _client.PublishAsync(message, _stop.Token);
                acknowledged = result.IsSuccess;
                if (!acknowledged)
                {
                    LogPublishRefused(_logger, message.Topic, result.ReasonCode.ToString());
                }
            }
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
            or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
            LogPublishFailed(_logger, message.Topic, exception.Message);
        }

        completed(acknowledged);
    }

    private Task RunAsync(CancellationToken cancellationToken)
    {
        var loop = new ReconnectLoop(new ReconnectSchedule { MinDelay = MinBackOff, MaxDelay = MaxBackOff });
        loop.RetryScheduled += (_, args) => LogReconnectScheduled(
            _logger, _options.DeviceId, args.Failures, (long)args.Delay.TotalMilliseconds);
        return loop.RunAsync(TryConnectAsync, WaitForDisconnectAsync, cancellationToken);
    }

    private async Task WaitForDisconnectAsync(CancellationToken cancellationToken)
    {
        // A failed attempt may also have released the semaphore, so wait until the client
        // really is disconnected.
        while (_client.IsConnected)
        {
            await _disconnected.WaitAsync(cancellationToken);
        }
    }

    private async Task<bool> TryConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.ConnectAsync(BuildOptions(), cancellationToken);
            MqttClientSubscribeOptions subscriptions = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(Topics.Keys(_options.Venue), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(Topics.Delegations(_options.Venue), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(Topics.DeviceKeys(_options.Venue, _options.DeviceId), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(Topics.DeviceDelegations(_options.Venue, _options.DeviceId), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(Topics.Snapshot(_options.Venue), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(Topics.Policy(_options.Venue), MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter(Topics.Time(_options.Venue), MqttQualityOfServiceLevel.AtMostOnce)
                .Build();
            await _client.SubscribeAsync(subscriptions, cancellationToken);
            await PublishStatusAsync("online", cancellationToken);
            LogConnected(_logger, _options.DeviceId, _options.MqttHost, _options.MqttPort);
            Connected?.Invoke();
            return true;
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
            or MQTTnet.Adapter.MqttConnectingFailedException or InvalidOperationException)
        {
            LogConnectFailed(_logger, _options.DeviceId, _options.MqttHost, _options.MqttPort, exception.Message);
            return false;
        }
    }

    private MqttClientOptions BuildOptions()
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.MqttHost, _options.MqttPort)
            .WithClientId(_options.DeviceId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)TimeSpan.FromHours(24).TotalSeconds)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15))
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithWillTopic(Topics.Status(_options.Venue, _options.DeviceId))
            .WithWillPayload(StatusPayload("offline"))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder = builder.WithCredentials(_options.Username, _options.Password ?? string.Empty);
        }

        if (_options.MqttTlsCaFile is not null)
        {
            var trust = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            trust.ImportFromPemFile(_options.MqttTlsCaFile);
            builder = builder.WithTlsOptions(tls => tls.UseTls().WithTrustChain(trust));
        }

        return builder.Build();
    }

    private Task PublishStatusAsync(string state, CancellationToken cancellationToken) =>
        _client.PublishAsync(StatusMessage(StatusPayload(state)), cancellationToken);

    private MqttApplicationMessage StatusMessage(byte[] payload) => new MqttApplicationMessageBuilder()
        .WithTopic(Topics.Status(_options.Venue, _options.DeviceId))
        .WithPayload(payload)
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .WithRetainFlag(true)
        .Build();

    /// <summary>Builds the status payload (also the last will) from the firmware, with boot id and reset reason.</summary>
    public Func<string, byte[]>? StatusPayloadFactory { get; set; }

    private byte[] StatusPayload(string state) => StatusPayloadFactory?.Invoke(state) ?? ProtocolJson.Serialize(new DeviceStatus
    {
        DeviceId = _options.DeviceId,
        DeviceClass = "firmware",
        State = state,
        TimeMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
    });

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected)
        {
            LogDisconnected(_logger, _options.DeviceId, args.Reason.ToString());
            Disconnected?.Invoke();
        }

        if (_disconnected.CurrentCount == 0)
        {
            try
            {
                _disconnected.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another disconnect already woke the reconnect loop.
            }
        }

        return Task.CompletedTask;
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Device {DeviceId} connected to {Host}:{Port}")]
    private static partial void LogConnected(ILogger logger, string deviceId, string host, int port);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning, Message = "Device {DeviceId} failed to connect to {Host}:{Port}: {Error}")]
    private static partial void LogConnectFailed(ILogger logger, string deviceId, string host, int port, string error);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Information, Message = "Device {DeviceId} reconnects in {DelayMs} ms (attempt {Attempt})")]
    private static partial void LogReconnectScheduled(ILogger logger, string deviceId, int attempt, long delayMs);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Warning, Message = "Device {DeviceId} disconnected: {Reason}; the queue keeps events until the hub returns")]
    private static partial void LogDisconnected(ILogger logger, string deviceId, string reason);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Debug, Message = "Publish to {Topic} failed: {Error}; the event stays queued")]
    private static partial void LogPublishFailed(ILogger logger, string topic, string error);

    [LoggerMessage(EventId = 7106, Level = LogLevel.Warning, Message = "Broker refused publish to {Topic} with reason {ReasonCode}; the event stays queued")]
    private static partial void LogPublishRefused(ILogger logger, string topic, string reasonCode);

    [LoggerMessage(EventId = 7107, Level = LogLevel.Warning, Message = "Clean disconnect failed: {Error}")]
    private static partial void LogDisconnectFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 7108, Level = LogLevel.Warning, Message = "Could not publish the device status: {Error}")]
    private static partial void LogStatusPublishFailed(ILogger logger, string error);
}
