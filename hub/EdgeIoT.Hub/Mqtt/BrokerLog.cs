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

    [LoggerMessage(EventId = 1215, Level = LogLevel.Information,
        Message = "Connected to the external MQTT broker {Host}:{Port} as {ClientId} after {Retries} retries")]
    public static partial void ExternalConnected(ILogger logger, string host, int port, string clientId, int retries);

    [LoggerMessage(EventId = 1216,
        Message = "Connecting to the external MQTT broker {Host}:{Port} failed (attempt {Attempt}): {Problem}; retrying")]
    public static partial void ExternalConnectFailed(
        ILogger logger, LogLevel level, string host, int port, int attempt, string problem);

    [LoggerMessage(EventId = 1217, Level = LogLevel.Warning,
        Message = "Lost the connection to the external MQTT broker {Host}:{Port} ({Reason}); reconnecting")]
    public static partial void ExternalDisconnected(ILogger logger, string host, int port, string reason);

    [LoggerMessage(EventId = 1218, Level = LogLevel.Warning,
        Message = "No connection to the external MQTT broker {Host}:{Port} within {Timeout}; the hub starts and keeps retrying")]
    public static partial void ExternalNotConnectedAtStart(ILogger logger, string host, int port, TimeSpan timeout);

    [LoggerMessage(EventId = 1219, Level = LogLevel.Warning,
        Message = "The external MQTT broker rejected the hub's publish to {Topic}: {ReasonCode}; check the hub's ACL entry")]
    public static partial void ExternalPublishRejected(ILogger logger, string topic, string reasonCode);

    [LoggerMessage(EventId = 1220, Level = LogLevel.Debug,
        Message = "Acknowledging {Topic} to the external broker failed ({Problem}); the broker sends it again")]
    public static partial void ExternalAcknowledgeFailed(ILogger logger, string topic, string problem);

    [LoggerMessage(EventId = 1221, Level = LogLevel.Information,
        Message = "MQTT broker listening with TLS on {Address}:{Port}")]
    public static partial void TlsStarted(ILogger logger, string address, int port);

    [LoggerMessage(EventId = 1222, Level = LogLevel.Information,
        Message = "Wrote Mosquitto password file {PasswordFile} and ACL file {AclFile} for {Accounts} accounts")]
    public static partial void AuthFilesWritten(ILogger logger, string passwordFile, string aclFile, int accounts);

    [LoggerMessage(EventId = 1223, Level = LogLevel.Warning,
        Message = "Mosquitto could not be told to reload its password and ACL files (pid file {PidFile}): {Problem}")]
    public static partial void AuthReloadFailed(ILogger logger, string pidFile, string problem);

    [LoggerMessage(EventId = 1224, Level = LogLevel.Warning,
        Message = "Devices {DeviceIds} have no Mosquitto password hash because they were enrolled before this hub version; enroll them again")]
    public static partial void AuthMissingHashes(ILogger logger, string deviceIds);

    [LoggerMessage(EventId = 1225, Level = LogLevel.Warning,
        Message = "Hub clock jumped {StepMs} ms since the last beacon; time beacons now carry epoch {Epoch}")]
    public static partial void BeaconEpochRaised(ILogger logger, long stepMs, uint epoch);

    [LoggerMessage(EventId = 1226, Level = LogLevel.Warning,
        Message = "The key list publish was not acknowledged within {Seconds} s; the time beacon goes out before it")]
    public static partial void KeyListPublishSlow(ILogger logger, double seconds);
}
