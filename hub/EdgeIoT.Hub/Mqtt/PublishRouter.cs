using System.Buffers;
using System.Text.Json;
using EdgeIoT.Hub.Checks;
using EdgeIoT.Hub.Dashboard;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// Inspects every publish before the broker acknowledges it. MQTTnet awaits this handler
/// before it sends the PUBACK of a QoS 1 publish, so an event acknowledged here is already
/// committed to SQLite. Rejections set an MQTT 5 PUBACK reason code and never close the connection.
/// </summary>
public sealed class PublishRouter(
    EventWriter events,
    DeviceStore devices,
    OnlineCheckService checks,
    HubActivity activity,
    HubOptions options,
    TimeProvider time,
    IServiceProvider services,
    ILogger<PublishRouter> logger)
{
    private readonly TopicAcl _acl = new(options.Venue);
    private readonly string _checkRequestTopic = Topics.CheckRequest(options.Venue);

    public async Task InterceptPublishAsync(InterceptingPublishEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);

        if (SessionIdentity.IsHub(args.SessionItems))
        {
            return;
        }

        string deviceId = SessionIdentity.GetDevice(args.SessionItems, args.UserName);
        string topic = args.ApplicationMessage.Topic;
        try
        {
            if (Admit(args, deviceId, topic))
            {
                await RouteAsync(args, deviceId, topic).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A handler fault must not take down the broker's client loop or acknowledge the publish.
            BrokerLog.HandlerFailed(logger, exception, args.ClientId);
            Reject(args, MqttPubAckReasonCode.ImplementationSpecificError, "The hub failed to process the publish.");
        }
    }

    private bool Admit(InterceptingPublishEventArgs args, string deviceId, string topic)
    {
        long length = args.ApplicationMessage.Payload.Length;
        if (length > options.Mqtt.MaxPayloadBytes)
        {
            BrokerLog.PayloadTooLarge(logger, deviceId, topic, length, options.Mqtt.MaxPayloadBytes);
            Reject(args, MqttPubAckReasonCode.QuotaExceeded,
                $"Payload of {length} bytes exceeds the hub limit of {options.Mqtt.MaxPayloadBytes} bytes.");
            return false;
        }

        if (!_acl.CanPublish(deviceId, topic))
        {
            BrokerLog.PublishNotAuthorized(logger, deviceId, topic);
            Reject(args, MqttPubAckReasonCode.NotAuthorized, $"Device {deviceId} may not publish to {topic}.");
            return false;
        }

        return true;
    }

    private Task RouteAsync(InterceptingPublishEventArgs args, string deviceId, string topic)
    {
        if (topic == _checkRequestTopic)
        {
            return HandleCheckAsync(args, deviceId);
        }

        Topics.TryParseDeviceTopic(topic, options.Venue, out _, out string rest);
        if (rest.StartsWith("events/", StringComparison.Ordinal))
        {
            return HandleEventAsync(args, deviceId, rest["events/".Length..]);
        }

        if (rest == "status")
        {
            HandleStatus(args, deviceId);
        }
        else if (rest == "telemetry")
        {
            HandleTelemetry(args, deviceId);
        }

        return Task.CompletedTask;
    }

    private async Task HandleEventAsync(InterceptingPublishEventArgs args, string deviceId, string kind)
    {
        // Nothing is delivered before the event is stored. After that, a new event goes on to
        // subscribers such as the operator's monitor (mosquitto_sub with the operator account).
        args.ProcessPublish = false;
        if (!EventKinds.All.Contains(kind))
        {
            Invalid(args, deviceId, $"event kind '{kind}' is unknown; expected one of {string.Join(", ", EventKinds.All)}");
            return;
        }

        if (!TryParse(args, deviceId, out EdgeEvent? edgeEvent))
        {
            return;
        }

        string? problem = CheckEvent(edgeEvent, deviceId, kind);
        if (problem is not null)
        {
            Invalid(args, deviceId, problem);
            return;
        }

        EdgeEvent received = edgeEvent with { HubReceivedMs = time.GetUtcNow().ToUnixTimeMilliseconds() };
        try
        {
            bool isNew = await events.AppendAsync(received).ConfigureAwait(false);
            BrokerLog.EventStored(logger, received.EventId, deviceId, isNew);
            args.ProcessPublish = isNew;
            if (isNew)
            {
                activity.OnEventStored(received);
            }
        }
        catch (Microsoft.Data.Sqlite.SqliteException exception)
        {
            BrokerLog.EventStoreFailed(logger, exception, received.EventId, deviceId);
            Reject(args, MqttPubAckReasonCode.ImplementationSpecificError, "The hub could not store the event; resend it.");
        }
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

    private async Task HandleCheckAsync(InterceptingPublishEventArgs args, string deviceId)
    {
        args.ProcessPublish = false;
        MqttApplicationMessage request = args.ApplicationMessage;
        if (string.IsNullOrEmpty(request.ResponseTopic) || !_acl.IsInOwnSubtree(deviceId, request.ResponseTopic))
        {
            BrokerLog.PublishNotAuthorized(logger, deviceId, request.ResponseTopic ?? "(no response topic)");
            Reject(args, MqttPubAckReasonCode.NotAuthorized,
                "A check request needs a response topic below the device's own subtree.");
            return;
        }

        if (!TryParse(args, deviceId, out CheckRequest? check))
        {
            return;
        }

        if (check.DeviceId != deviceId)
        {
            Invalid(args, deviceId, $"payload deviceId '{check.DeviceId}' does not match the authenticated device");
            return;
        }

        CheckResponse response = checks.Check(check, deviceId);
        MqttApplicationMessage reply = new MqttApplicationMessageBuilder()
            .WithTopic(request.ResponseTopic)
            .WithCorrelationData(request.CorrelationData)
            .WithPayload(ProtocolJson.Serialize(response))
            .WithContentType("application/json")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await services.GetRequiredService<HubBroker>().PublishAsync(reply).ConfigureAwait(false);
    }

    private void HandleStatus(InterceptingPublishEventArgs args, string deviceId)
    {
        if (!TryParse(args, deviceId, out DeviceStatus? status))
        {
            return;
        }

        if (status.DeviceId != deviceId)
        {
            Invalid(args, deviceId, $"payload deviceId '{status.DeviceId}' does not match the authenticated device");
            return;
        }

        devices.RecordSeen(deviceId, status.State, time.GetUtcNow().ToUnixTimeMilliseconds());
        activity.OnStatus(status);
    }

    private void HandleTelemetry(InterceptingPublishEventArgs args, string deviceId)
    {
        if (!TryParse(args, deviceId, out DeviceTelemetry? telemetry))
        {
            return;
        }

        if (telemetry.DeviceId != deviceId)
        {
            Invalid(args, deviceId, $"payload deviceId '{telemetry.DeviceId}' does not match the authenticated device");
            return;
        }

        activity.OnTelemetry(telemetry);
    }

    private bool TryParse<T>(
        InterceptingPublishEventArgs args, string deviceId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
        where T : class
    {
        try
        {
            value = ProtocolJson.Deserialize<T>(args.ApplicationMessage.Payload.ToArray());
            return true;
        }
        catch (JsonException exception)
        {
            Invalid(args, deviceId, $"payload is not a valid {typeof(T).Name}: {exception.Message}");
            value = null;
            return false;
        }
    }

    private void Invalid(InterceptingPublishEventArgs args, string deviceId, string problem)
    {
        BrokerLog.PayloadInvalid(logger, deviceId, args.ApplicationMessage.Topic, problem);
        Reject(args, MqttPubAckReasonCode.PayloadFormatInvalid, problem);
    }

    private static void Reject(InterceptingPublishEventArgs args, MqttPubAckReasonCode reasonCode, string reason)
    {
        args.ProcessPublish = false;
        args.Response.ReasonCode = reasonCode;
        args.Response.ReasonString = reason;
    }
}
