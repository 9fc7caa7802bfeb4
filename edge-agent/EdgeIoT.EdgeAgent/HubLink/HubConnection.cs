using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using EdgeIoT.EdgeAgent.Storage;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeIoT.EdgeAgent.HubLink;

/// <summary>
/// The agent's MQTT 5 session with the hub. The session is persistent (clean start off) and
/// its last will is a retained offline status. It reconnects with jittered exponential
/// back-off, receives the retained key list, snapshot, policy and time beacon, sends online
/// checks and publishes events.
/// </summary>
public sealed partial class HubConnection : IOnlineCheck, IAsyncDisposable
{
    private readonly HubConnectionSettings _settings;
    private readonly HubState _state;
    private readonly HubClock _clock;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IMqttClient _client;
    private readonly SemaphoreSlim _disconnected = new(0, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CheckResponse>> _pendingChecks =
        new(StringComparer.Ordinal);

    private readonly string _keysTopic;
    private readonly string _snapshotTopic;
    private readonly string _policyTopic;
    private readonly string _timeTopic;
    private readonly string _checkRequestTopic;
    private readonly string _checkResponseTopic;
    private readonly string _statusTopic;
    private readonly string _scanTopic;
    private readonly string _delegationsTopic;
    private readonly string _deviceKeysTopic;
    private readonly string _deviceDelegationsTopic;
    private readonly string _keyResyncTopic;
    private readonly Firmware.Verification.KeyResyncThrottle _resyncThrottle;
    private long _offlineSinceTimestamp;
    private bool _beaconRejectionLogged;
    private string? _lastConnectError;

    public HubConnection(
        HubConnectionSettings settings,
        HubState state,
        HubClock clock,
        TimeProvider? timeProvider = null,
        ILogger<HubConnection>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(clock);

        _settings = settings;
        _state = state;
        _clock = clock;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _offlineSinceTimestamp = _timeProvider.GetTimestamp();

        _keysTopic = Topics.Keys(settings.Venue);
        _snapshotTopic = Topics.Snapshot(settings.Venue);
        _policyTopic = Topics.Policy(settings.Venue);
        _timeTopic = Topics.Time(settings.Venue);
        _checkRequestTopic = Topics.CheckRequest(settings.Venue);
        _checkResponseTopic = Topics.CheckResponse(settings.Venue, settings.DeviceId);
        _statusTopic = Topics.Status(settings.Venue, settings.DeviceId);
        _scanTopic = Topics.Scan(settings.Venue, settings.DeviceId);
        _delegationsTopic = Topics.Delegations(settings.Venue);
        _deviceKeysTopic = Topics.DeviceKeys(settings.Venue, settings.DeviceId);
        _deviceDelegationsTopic = Topics.DeviceDelegations(settings.Venue, settings.DeviceId);
        _keyResyncTopic = Topics.KeyResyncRequest(settings.Venue, settings.DeviceId);
        _resyncThrottle = new Firmware.Verification.KeyResyncThrottle((long)settings.KeyResyncInterval.TotalMilliseconds);

        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnMessageAsync;
        _client.DisconnectedAsync += OnDisconnectedAsync;
        _clock.StepChanged += OnClockStepChanged;
    }

    /// <summary>Raised after each successful connect and subscribe, so the outbox publisher resumes.</summary>
    public event EventHandler? Connected;

    /// <summary>Raised when an established connection to the hub is lost or closed.</summary>
    public event EventHandler? Disconnected;

    public bool IsConnected => _client.IsConnected;

    public TimeSpan OfflineFor => IsConnected
        ? TimeSpan.Zero
        : _timeProvider.GetElapsedTime(Interlocked.Read(ref _offlineSinceTimestamp));

    /// <summary>Connects and keeps reconnecting until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        var schedule = new ReconnectSchedule
        {
            MinDelay = _settings.ReconnectMinDelay,
            MaxDelay = _settings.ReconnectMaxDelay,
        };
        var loop = new ReconnectLoop(schedule, _timeProvider);
        loop.RetryScheduled += (_, args) => LogReconnectScheduled(
            _logger, args.Failures, (long)args.Delay.TotalMilliseconds, _lastConnectError);
        return loop.RunAsync(TryConnectAsync, WaitForDisconnectAsync, cancellationToken);
    }

    public async Task<CheckResponse?> CheckAsync(
        CheckRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        if (!_client.IsConnected)
        {
            return null;
        }

        var answer = new TaskCompletionSource<CheckResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingChecks[request.Nonce] = answer;
        try
        {
            MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                .WithTopic(_checkRequestTopic)
                .WithPayload(ProtocolJson.Serialize(request))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
                .WithResponseTopic(_checkResponseTopic)
                .WithCorrelationData(Encoding.UTF8.GetBytes(request.Nonce))
                .Build();
            await _client.PublishAsync(message, cancellationToken);
            return await answer.Task.WaitAsync(timeout, _timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            LogCheckTimedOut(_logger, (long)timeout.TotalMilliseconds);
            return null;
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
            or InvalidOperationException)
        {
            _logger.LogWarning(exception, "Online check could not be sent; the offline policy decides");
            return null;
        }
        finally
        {
            _pendingChecks.TryRemove(request.Nonce, out _);
        }
    }

    /// <summary>
    /// Sends an MQTT PINGREQ and returns the round trip to the broker, or null when not
    /// connected, when no PINGRESP arrives within <paramref name="timeout"/>, or when it fails.
    /// </summary>
    public async Task<TimeSpan?> PingAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return null;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await _client.PingAsync(deadline.Token);
            return System.Diagnostics.Stopwatch.GetElapsedTime(started);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
            or InvalidOperationException)
        {
            LogBestEffortFailed(_logger, "PINGREQ", exception.Message);
            return null;
        }
    }

    public void PublishScanNotice(ScanNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);

        PublishBestEffort(_scanTopic, ProtocolJson.Serialize(notice));
    }

    public void RequestKeyResync(KeyResyncRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);

        if (!_client.IsConnected
            || !_resyncThrottle.TryAcquire((long)_timeProvider.GetElapsedTime(0).TotalMilliseconds))
        {
            return;
        }

        LogKeyResyncRequested(_logger, request.Reason, request.KeyListVersion, request.Kid);
        PublishBestEffort(_keyResyncTopic, ProtocolJson.Serialize(request));
    }

    /// <summary>Publishes a QoS 0 message if connected; failures are logged and dropped.</summary>
    public void PublishBestEffort(string topic, byte[] payload)
    {
        if (!_client.IsConnected)
        {
            return;
        }

        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        _ = PublishQuietlyAsync(message);
    }

    /// <summary>
    /// Publishes one stored event at QoS 1. It is delivered only when the hub acknowledged it
    /// with a success reason code, which means the hub stored it, and rejected when the PUBACK
    /// carries an error reason code.
    /// </summary>
    public async Task<EventPublishResult> PublishEventAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);

        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.Event(_settings.Venue, _settings.DeviceId, entry.Kind))
            .WithPayload(entry.Payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        try
        {
            MqttClientPublishResult result = await _client.PublishAsync(message, cancellationToken);
            if (result.IsSuccess)
            {
                return EventPublishResult.Delivered;
            }

            LogEventRejected(_logger, entry.Seq, result.ReasonCode.ToString(), result.ReasonString);
            return EventPublishResult.RejectedWith($"{result.ReasonCode} {result.ReasonString}".TrimEnd());
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
            or InvalidOperationException)
        {
            LogEventPublishFailed(_logger, exception, entry.Seq);
            return EventPublishResult.NotDelivered;
        }
    }

    /// <summary>Publishes the retained offline status and disconnects cleanly.</summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        if (!_client.IsConnected)
        {
            return;
        }

        try
        {
            // A normal DISCONNECT discards the last will (MQTT 5, 3.1.2.5), so the offline
            // status is published explicitly.
            await _client.PublishAsync(StatusMessage("offline"), cancellationToken);
            await _client.DisconnectAsync(
                new MqttClientDisconnectOptionsBuilder()
                    .WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection)
                    .Build(),
                cancellationToken);
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
            or OperationCanceledException or InvalidOperationException)
        {
            _logger.LogWarning(exception, "Clean disconnect from the hub failed; the broker sends the last will");
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await DisconnectAsync(timeout.Token);
        _client.Dispose();
        _disconnected.Dispose();
    }

    private async Task<bool> TryConnectAsync(CancellationToken cancellationToken)
    {
        try
        {
            MqttClientConnectResult result = await _client.ConnectAsync(BuildOptions(), cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                _logger.LogWarning(
                    "Hub at {Host}:{Port} refused the connection: {ResultCode} {Reason}",
                    _settings.Host,
                    _settings.Port,
                    result.ResultCode,
                    result.ReasonString);
                return false;
            }

            await _client.PublishAsync(StatusMessage("online"), cancellationToken);
            await SubscribeAsync(cancellationToken);
            _lastConnectError = null;
            _logger.LogInformation(
                "Connected to the hub at {Host}:{Port} as {DeviceId}, session present {SessionPresent}",
                _settings.Host,
                _settings.Port,
                _settings.DeviceId,
                result.IsSessionPresent);
            Connected?.Invoke(this, EventArgs.Empty);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
            or OperationCanceledException or InvalidOperationException
            or MQTTnet.Adapter.MqttConnectingFailedException)
        {
            // The first failure is a warning; the retries are logged by the reconnect loop.
            if (_lastConnectError is null)
            {
                LogConnectFailed(_logger, _settings.Host, _settings.Port, exception.Message);
            }

            _lastConnectError = exception.Message;
            return false;
        }
    }

    private MqttClientOptions BuildOptions()
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_settings.Host, _settings.Port)
            .WithClientId(_settings.DeviceId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval((uint)_settings.SessionExpiry.TotalSeconds)
            .WithKeepAlivePeriod(_settings.KeepAlive)
            .WithTimeout(TimeSpan.FromSeconds(5))
            .WithWillTopic(_statusTopic)
            .WithWillPayload(StatusPayload("offline"))
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (!string.IsNullOrEmpty(_settings.Username))
        {
            builder = builder.WithCredentials(_settings.Username, _settings.Password ?? string.Empty);
        }

        if (_settings.UseTls)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls();
                if (!string.IsNullOrEmpty(_settings.TlsCaFile))
                {
                    var trust = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
                    trust.ImportFromPemFile(_settings.TlsCaFile);
                    tls.WithTrustChain(trust);
                }
            });
        }

        return builder.Build();
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        MqttClientSubscribeOptions options = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_keysTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_delegationsTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_deviceKeysTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_deviceDelegationsTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_snapshotTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_policyTopic, MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(_timeTopic, MqttQualityOfServiceLevel.AtMostOnce)
            .WithTopicFilter(_checkResponseTopic, MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        await _client.SubscribeAsync(options, cancellationToken);
    }

    private Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        MqttApplicationMessage message = args.ApplicationMessage;
        byte[] payload = message.Payload.ToArray();
        string topic = message.Topic;
        try
        {
            if (topic == _checkResponseTopic)
            {
                CompleteCheck(payload);
            }
            else if (topic == _timeTopic)
            {
                ApplyBeacon(ProtocolJson.Deserialize<TimeBeacon>(payload));
            }
            else if (topic == _keysTopic || topic == _deviceKeysTopic)
            {
                _state.TryApplyKeys(payload);
            }
            else if (topic == _delegationsTopic || topic == _deviceDelegationsTopic)
            {
                _state.TryApplyDelegations(payload);
            }
            else if (topic == _snapshotTopic)
            {
                _state.TryApplySnapshot(payload);
            }
            else if (topic == _policyTopic)
            {
                _state.TryApplyPolicy(payload);
            }
        }
        catch (JsonException exception)
        {
            _logger.LogWarning(exception, "Ignored invalid JSON on {Topic}", topic);
        }

        return Task.CompletedTask;
    }

    private void CompleteCheck(byte[] payload)
    {
        CheckResponse response = ProtocolJson.Deserialize<CheckResponse>(payload);
        if (_pendingChecks.TryRemove(response.Nonce, out TaskCompletionSource<CheckResponse>? pending))
        {
            pending.TrySetResult(response);
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected)
        {
            Interlocked.Exchange(ref _offlineSinceTimestamp, _timeProvider.GetTimestamp());
            _logger.LogWarning(
                "Disconnected from the hub ({Reason}), so the offline policy decides until it returns", args.Reason);
            Disconnected?.Invoke(this, EventArgs.Empty);
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

    private async Task PublishQuietlyAsync(MqttApplicationMessage message)
    {
        try
        {
            await _client.PublishAsync(message, CancellationToken.None);
        }
        catch (Exception exception) when (exception is MQTTnet.Exceptions.MqttCommunicationException
            or InvalidOperationException)
        {
            LogBestEffortFailed(_logger, message.Topic, exception.Message);
        }
    }

    private MqttApplicationMessage StatusMessage(string state) => new MqttApplicationMessageBuilder()
        .WithTopic(_statusTopic)
        .WithPayload(StatusPayload(state))
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .WithRetainFlag(true)
        .Build();

    private byte[] StatusPayload(string state) => ProtocolJson.Serialize(new DeviceStatus
    {
        DeviceId = _settings.DeviceId,
        DeviceClass = EventOutbox.DeviceClass,
        State = state,
        TimeMs = _clock.NowUnixMilliseconds,
        KeyListVersion = _state.Verifier.Keys?.Version,
        SnapshotVersion = _state.Snapshot?.Version,
        ClockState = _clock.State,
    });

    private void OnClockStepChanged(object? sender, string change)
    {
        LogClockStepChanged(change);
        if (_client.IsConnected)
        {
            // The retained status carries the clock state, so the hub receives the held step.
            _ = PublishQuietlyAsync(StatusMessage("online"));
        }
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

    private void ApplyBeacon(TimeBeacon beacon)
    {
        string? error = _state.CheckBeacon(beacon);
        if (error is null)
        {
            _beaconRejectionLogged = false;
            _clock.ApplyBeacon(beacon.HubTimeMs);
            return;
        }

        // Beacons arrive every 2 s; one warning per run of rejections is enough to act on.
        if (!_beaconRejectionLogged)
        {
            LogBeaconRejected(error);
            _beaconRejectionLogged = true;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clock: {Change}")]
    private partial void LogClockStepChanged(string change);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a time beacon: {Error}; the clock keeps its last correction")]
    private partial void LogBeaconRejected(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not connect to the hub at {Host}:{Port}: {Error}")]
    private static partial void LogConnectFailed(ILogger logger, string host, int port, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reconnect attempt {Attempt} in {DelayMs} ms after: {Error}")]
    private static partial void LogReconnectScheduled(ILogger logger, int attempt, long delayMs, string? error);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Online check timed out after {TimeoutMs} ms; the offline policy decides")]
    private static partial void LogCheckTimedOut(ILogger logger, long timeoutMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub rejected event {Seq}: {ReasonCode} {ReasonString}")]
    private static partial void LogEventRejected(ILogger logger, long seq, string reasonCode, string? reasonString);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing event {Seq} failed; it stays in the outbox")]
    private static partial void LogEventPublishFailed(ILogger logger, Exception exception, long seq);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Requested a key resync from the hub ({Reason}, holding key list {KeyListVersion}, kid {Kid})")]
    private static partial void LogKeyResyncRequested(ILogger logger, string reason, uint keyListVersion, string? kid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "QoS 0 publish on {Topic} failed: {Error}")]
    private static partial void LogBestEffortFailed(ILogger logger, string topic, string error);
}
