using System.Buffers;
using System.Text.Json;
using EdgeIoT.Hub.Checks;
using EdgeIoT.Hub.Dashboard;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// Decides what happens to one device publish, whichever broker carried it: checks size and
/// topic permissions, commits events to SQLite, records statuses and replies to online checks and
/// snapshot requests.
/// The returned task completes only after an event is committed, so a caller that acknowledges
/// on completion acknowledges a durable event.
/// </summary>
public sealed class DeviceMessageHandler(
    EventWriter events,
    DeviceStore devices,
    OnlineCheckService checks,
    CheckLatencyWindow checkLatency,
    SnapshotCache snapshots,
    HubActivity activity,
    HubPolicy policy,
    KeyResyncResponder keyResync,
    HubOptions options,
    TimeProvider time,
    ILogger<DeviceMessageHandler> logger)
{
    private readonly TopicAcl _acl = new(options.Venue);
    private readonly string _checkRequestTopic = Topics.CheckRequest(options.Venue);
    private readonly string _snapshotRequestTopic = Topics.SnapshotRequest(options.Venue);

    /// <summary>
    /// Handles a publish from <paramref name="deviceId"/>, the identity the broker authenticated.
    /// <paramref name="replyAsync"/> publishes the reply to an online check or a snapshot request.
    /// </summary>
    public Task<PublishOutcome> HandleAsync(
        string deviceId, MqttApplicationMessage message, Func<MqttApplicationMessage, Task> replyAsync)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(replyAsync);

        string topic = message.Topic;
        PublishOutcome? rejection = Admit(deviceId, message);
        if (rejection is not null)
        {
            return Task.FromResult(rejection.Value);
        }

        if (topic == _checkRequestTopic)
        {
            return HandleCheckAsync(deviceId, message, replyAsync);
        }

        if (topic == _snapshotRequestTopic)
        {
            return HandleSnapshotRequestAsync(deviceId, message, replyAsync);
        }

        Topics.TryParseDeviceTopic(topic, options.Venue, out _, out string rest);
        if (rest.StartsWith("events/", StringComparison.Ordinal))
        {
            return HandleEventAsync(deviceId, message, rest["events/".Length..]);
        }

        if (rest == "keys/request")
        {
            return HandleKeyResyncAsync(deviceId, message, replyAsync);
        }

        PublishOutcome outcome = rest switch
        {
            "status" => HandleStatus(deviceId, message),
            "telemetry" => HandleTelemetry(deviceId, message),
            _ => PublishOutcome.Accepted,
        };
        return Task.FromResult(outcome);
    }

    private PublishOutcome? Admit(string deviceId, MqttApplicationMessage message)
    {
        long length = message.Payload.Length;
        if (length > options.Mqtt.MaxPayloadBytes)
        {
            BrokerLog.PayloadTooLarge(logger, deviceId, message.Topic, length, options.Mqtt.MaxPayloadBytes);
            return PublishOutcome.Rejected(MqttPubAckReasonCode.QuotaExceeded,
                $"Payload of {length} bytes exceeds the hub limit of {options.Mqtt.MaxPayloadBytes} bytes.");
        }

        if (!_acl.CanPublish(deviceId, message.Topic))
        {
            BrokerLog.PublishNotAuthorized(logger, deviceId, message.Topic);
            return PublishOutcome.Rejected(MqttPubAckReasonCode.NotAuthorized, $"Device {deviceId} may not publish to {message.Topic}.");
        }

        return null;
    }

    private async Task<PublishOutcome> HandleEventAsync(string deviceId, MqttApplicationMessage message, string kind)
    {
        // Nothing is delivered before the event is stored. After that, a new event goes on to
        // subscribers such as the operator's monitor (mosquitto_sub with the operator account).
        if (!EventKinds.All.Contains(kind))
        {
            return Invalid(deviceId, message,
                $"event kind '{kind}' is unknown; expected one of {string.Join(", ", EventKinds.All)}");
        }

        if (!TryParse(deviceId, message, out EdgeEvent? edgeEvent, out PublishOutcome invalid))
        {
            return invalid;
        }

        string? problem = CheckEvent(edgeEvent, deviceId, kind);
        if (problem is not null)
        {
            return Invalid(deviceId, message, problem);
        }

        EdgeEvent received = StampReceipt(edgeEvent);
        try
        {
            bool isNew = await events.AppendAsync(received).ConfigureAwait(false);
            BrokerLog.EventStored(logger, received.EventId, deviceId, isNew);
            if (isNew)
            {
                activity.OnEventStored(received);
                if (received.Kind == EventKinds.Status && received.Detail is string detail)
                {
                    devices.RecordDetail(deviceId, detail, received.HubReceivedMs ?? 0);
                }
            }

            return isNew ? PublishOutcome.Accepted : PublishOutcome.Consumed;
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            BrokerLog.EventStoreFailed(logger, exception, received.EventId, deviceId);
            return PublishOutcome.Rejected(
                MqttPubAckReasonCode.ImplementationSpecificError, "The hub could not store the event; resend it.");
        }
    }

    /// <summary>
    /// Sets the hub's receipt time, and flags a payment that arrived later after the device made
    /// it than the policy's forwardPaymentsWithinSeconds allows.
    /// </summary>
    private EdgeEvent StampReceipt(EdgeEvent edgeEvent)
    {
        long receivedMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        uint? deadlineSeconds = policy.Current?.Guardrails.ForwardPaymentsWithinSeconds;
        long delayMs = receivedMs - edgeEvent.DeviceTimeMs;
        bool late = edgeEvent.Kind == EventKinds.Payment && deadlineSeconds is uint deadline && delayMs > deadline * 1000L;
        if (late)
        {
            PolicyLog.PaymentForwardedLate(logger, edgeEvent.EventId, delayMs / 1000, deadlineSeconds!.Value);
        }

        return edgeEvent with { HubReceivedMs = receivedMs, ForwardedLate = late ? true : null };
    }

    private static string? CheckEvent(EdgeEvent edgeEvent, string deviceId, string kind)
    {
        if (edgeEvent.DeviceId != deviceId)
        {
            return $"payload deviceId '{edgeEvent.DeviceId}' does not match the authenticated device";
        }

        if (edgeEvent.Kind != kind)
        {
            return $"payload kind '{edgeEvent.Kind}' does not match the topic kind '{kind}'";
        }

        return string.IsNullOrWhiteSpace(edgeEvent.EventId) ? "eventId is empty" : null;
    }

    private async Task<PublishOutcome> HandleCheckAsync(
        string deviceId, MqttApplicationMessage request, Func<MqttApplicationMessage, Task> replyAsync)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (string.IsNullOrEmpty(request.ResponseTopic) || !_acl.IsInOwnSubtree(deviceId, request.ResponseTopic))
        {
            BrokerLog.PublishNotAuthorized(logger, deviceId, request.ResponseTopic ?? "(no response topic)");
            return PublishOutcome.Rejected(MqttPubAckReasonCode.NotAuthorized,
                "A check request needs a response topic below the device's own subtree.");
        }

        if (!TryParse(deviceId, request, out CheckRequest? check, out PublishOutcome invalid))
        {
            return invalid;
        }

        if (check.DeviceId != deviceId)
        {
            return Invalid(deviceId, request, $"payload deviceId '{check.DeviceId}' does not match the authenticated device");
        }

        CheckResponse response = checks.Check(check, deviceId);
        MqttApplicationMessage reply = new MqttApplicationMessageBuilder()
            .WithTopic(request.ResponseTopic)
            .WithCorrelationData(request.CorrelationData)
            .WithPayload(ProtocolJson.Serialize(response))
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await replyAsync(reply).ConfigureAwait(false);
        checkLatency.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return PublishOutcome.Consumed;
    }

    private async Task<PublishOutcome> HandleSnapshotRequestAsync(
        string deviceId, MqttApplicationMessage request, Func<MqttApplicationMessage, Task> replyAsync)
    {
        if (string.IsNullOrEmpty(request.ResponseTopic) || !_acl.IsInOwnSubtree(deviceId, request.ResponseTopic))
        {
            BrokerLog.PublishNotAuthorized(logger, deviceId, request.ResponseTopic ?? "(no response topic)");
            return PublishOutcome.Rejected(MqttPubAckReasonCode.NotAuthorized,
                "A snapshot request needs a response topic below the device's own subtree.");
        }

        if (!TryParse(deviceId, request, out SnapshotRequest? snapshotRequest, out PublishOutcome invalid))
        {
            return invalid;
        }

        SnapshotPayload payload = snapshots.ForDevice(snapshotRequest.Version);
        MqttApplicationMessage reply = new MqttApplicationMessageBuilder()
            .WithTopic(request.ResponseTopic)
            .WithCorrelationData(request.CorrelationData)
            .WithPayload(payload.Bytes)
            .WithContentType("application/octet-stream")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await replyAsync(reply).ConfigureAwait(false);
        return PublishOutcome.Consumed;
    }

    private async Task<PublishOutcome> HandleKeyResyncAsync(
        string deviceId, MqttApplicationMessage request, Func<MqttApplicationMessage, Task> replyAsync)
    {
        string? problem = await keyResync.ReplyAsync(deviceId, request.Payload.ToArray(), replyAsync).ConfigureAwait(false);
        return problem is null ? PublishOutcome.Consumed : Invalid(deviceId, request, problem);
    }

    private PublishOutcome HandleStatus(string deviceId, MqttApplicationMessage message)
    {
        if (!TryParse(deviceId, message, out DeviceStatus? status, out PublishOutcome invalid))
        {
            return invalid;
        }

        if (status.DeviceId != deviceId)
        {
            return Invalid(deviceId, message, $"payload deviceId '{status.DeviceId}' does not match the authenticated device");
        }

        devices.RecordStatus(status, time.GetUtcNow().ToUnixTimeMilliseconds());
        activity.OnStatus(status);
        return PublishOutcome.Accepted;
    }

    private PublishOutcome HandleTelemetry(string deviceId, MqttApplicationMessage message)
    {
        if (!TryParse(deviceId, message, out DeviceTelemetry? telemetry, out PublishOutcome invalid))
        {
            return invalid;
        }

        if (telemetry.DeviceId != deviceId)
        {
            return Invalid(deviceId, message, $"payload deviceId '{telemetry.DeviceId}' does not match the authenticated device");
        }

        activity.OnTelemetry(telemetry);
        return PublishOutcome.Accepted;
    }

    private bool TryParse<T>(
        string deviceId,
        MqttApplicationMessage message,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value,
        out PublishOutcome invalid)
        where T : class
    {
        try
        {
            value = ProtocolJson.Deserialize<T>(message.Payload.ToArray());
            invalid = default;
            return true;
        }
        catch (JsonException exception)
        {
            invalid = Invalid(deviceId, message, $"payload is not a valid {typeof(T).Name}: {exception.Message}");
            value = null;
            return false;
        }
    }

    private PublishOutcome Invalid(string deviceId, MqttApplicationMessage message, string problem)
    {
        BrokerLog.PayloadInvalid(logger, deviceId, message.Topic, problem);
        return PublishOutcome.Rejected(MqttPubAckReasonCode.PayloadFormatInvalid, problem);
    }
}
