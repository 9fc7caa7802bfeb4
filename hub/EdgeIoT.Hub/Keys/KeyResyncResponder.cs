using System.Text.Json;
using EdgeIoT.Hub.Options;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Keys;

/// <summary>
/// Handles a device's key resync request by sending the current signed key list and the
/// delegation list to that device alone. Devices limit themselves to one request per interval
/// (30 s by default), so the hub replies to every valid request.
/// </summary>
public sealed partial class KeyResyncResponder(
    KeyRing keys, DelegationDirectory delegations, HubOptions options, ILogger<KeyResyncResponder> logger)
{
    /// <summary>
    /// Parses the request from <paramref name="deviceId"/> and returns the problem when it is
    /// invalid, or null after both responses were handed to <paramref name="replyAsync"/>.
    /// </summary>
    public async Task<string?> ReplyAsync(string deviceId, byte[] payload, Func<MqttApplicationMessage, Task> replyAsync)
    {
        ArgumentNullException.ThrowIfNull(payload);
        ArgumentNullException.ThrowIfNull(replyAsync);

        KeyResyncRequest request;
        try
        {
            request = ProtocolJson.Deserialize<KeyResyncRequest>(payload);
        }
        catch (JsonException exception)
        {
            return $"payload is not a valid {nameof(KeyResyncRequest)}: {exception.Message}";
        }

        if (request.DeviceId != deviceId)
        {
            return $"payload deviceId '{request.DeviceId}' does not match the authenticated device";
        }

        LogResyncRequested(logger, deviceId, request.Reason, request.KeyListVersion, request.Kid);
        await replyAsync(Response(Topics.DeviceKeys(options.Venue, deviceId), keys.SignedKeyList)).ConfigureAwait(false);
        await replyAsync(Response(Topics.DeviceDelegations(options.Venue, deviceId), delegations.BuildList()))
            .ConfigureAwait(false);
        return null;
    }

    private static MqttApplicationMessage Response(string topic, byte[] payload) => new MqttApplicationMessageBuilder()
        .WithTopic(topic)
        .WithPayload(payload)
        .WithContentType("application/octet-stream")
        .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
        .Build();

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information,
        Message = "Device {DeviceId} requested a key resync ({Reason}, holds key list {KeyListVersion}, kid {Kid}); sent the key and delegation lists")]
    private static partial void LogResyncRequested(ILogger logger, string deviceId, string reason, uint keyListVersion, string? kid);
}
