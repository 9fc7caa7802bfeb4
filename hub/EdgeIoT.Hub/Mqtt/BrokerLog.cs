namespace EdgeIoT.Hub.Mqtt;

/// <summary>Log messages of the embedded broker, event ids 1200 to 1299.</summary>
internal static partial class BrokerLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
        Message = "MQTT broker listening on {Address}:{Port} for venue {Venue}")]
    public static partial void Started(ILogger logger, string address, int port, string venue);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning,
        Message = "MQTT connection from {Endpoint} rejected: {Reason} (client id {ClientId}, user {UserName})")]
    public static partial void ConnectionRejected(
        ILogger logger, string? endpoint, string reason, string clientId, string? userName);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning,
        Message = "Device {DeviceId} may not subscribe to {TopicFilter}; subscription rejected")]
    public static partial void SubscriptionRejected(ILogger logger, string deviceId, string topicFilter);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning,
        Message = "Device {DeviceId} may not publish to {Topic}; publish rejected")]
    public static partial void PublishNotAuthorized(ILogger logger, string deviceId, string topic);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning,
        Message = "Publish from {DeviceId} to {Topic} rejected: payload of {Length} bytes exceeds the limit of {Limit} bytes")]
    public static partial void PayloadTooLarge(ILogger logger, string deviceId, string topic, long length, int limit);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning,
        Message = "Publish from {DeviceId} to {Topic} rejected: {Problem}")]
    public static partial void PayloadInvalid(ILogger logger, string deviceId, string topic, string problem);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Debug,
        Message = "Stored event {EventId} from {DeviceId} (new: {IsNew})")]
    public static partial void EventStored(ILogger logger, string eventId, string deviceId, bool isNew);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Error,
        Message = "Storing event {EventId} from {DeviceId} failed; the publish was not acknowledged")]
    public static partial void EventStoreFailed(ILogger logger, Exception exception, string eventId, string deviceId);

    [LoggerMessage(EventId = 1209, Level = LogLevel.Information, Message = "Device {DeviceId} connected from {Endpoint}")]
    public static partial void DeviceConnected(ILogger logger, string deviceId, string? endpoint);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information,
        Message = "Device {DeviceId} disconnected ({DisconnectType})")]
    public static partial void DeviceDisconnected(ILogger logger, string deviceId, string disconnectType);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Information,
        Message = "Published retained {Topic} ({Length} bytes)")]
    public static partial void RetainedPublished(ILogger logger, string topic, int length);

    [LoggerMessage(EventId = 1212, Level = LogLevel.Warning,
        Message = "No offline policy is published: policy file {PolicyFile} {Problem}")]
    public static partial void PolicyMissing(ILogger logger, string? policyFile, string problem);

    [LoggerMessage(EventId = 1213, Level = LogLevel.Error, Message = "Handling a broker event for {ClientId} failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string clientId);

    [LoggerMessage(EventId = 1214, Level = LogLevel.Error, Message = "Publishing {Topic} from the hub failed")]
    public static partial void HubPublishFailed(ILogger logger, Exception exception, string topic);
}
