using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeIoT.Hub.Mqtt;

/// <summary>
/// Connects the embedded broker to the <see cref="DeviceMessageHandler"/>. MQTTnet awaits this
/// handler before it sends the PUBACK of a QoS 1 publish, so an event acknowledged here is
/// already committed to SQLite. Rejections set an MQTT 5 PUBACK reason code and never close the
/// connection.
/// </summary>
public sealed class PublishRouter(DeviceMessageHandler handler, IServiceProvider services, ILogger<PublishRouter> logger)
{
    public async Task InterceptPublishAsync(InterceptingPublishEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);

        if (SessionIdentity.IsHub(args.SessionItems))
        {
            return;
        }

        string deviceId = SessionIdentity.GetDevice(args.SessionItems, args.UserName);
        PublishOutcome outcome;
        try
        {
            outcome = await handler.HandleAsync(deviceId, args.ApplicationMessage, ReplyAsync).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A handler fault must not take down the broker's client loop or acknowledge the publish.
            BrokerLog.HandlerFailed(logger, exception, args.ClientId);
            outcome = PublishOutcome.Rejected(
                MqttPubAckReasonCode.ImplementationSpecificError, "The hub failed to process the publish.");
        }

        args.ProcessPublish = outcome.Forward;
        if (!outcome.IsSuccess)
        {
            args.Response.ReasonCode = outcome.ReasonCode;
            args.Response.ReasonString = outcome.ReasonString;
        }
    }

    // Resolved per reply because the broker itself depends on this router.
    private Task ReplyAsync(MQTTnet.MqttApplicationMessage reply) =>
        services.GetRequiredService<HubBroker>().PublishAsync(reply);
}
