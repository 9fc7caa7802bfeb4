using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Tests;

internal static class MqttTestExtensions
{
    public static async Task<MqttClientPublishResult> PublishEventAsync(
        this IMqttClient client, string venue, EdgeEvent edgeEvent)
    {
        return await client.PublishBytesAsync(
            Topics.Event(venue, edgeEvent.DeviceId, edgeEvent.Kind), ProtocolJson.Serialize(edgeEvent));
    }

    public static async Task<MqttClientPublishResult> PublishBytesAsync(this IMqttClient client, string topic, byte[] payload)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        using var cancellation = new CancellationTokenSource(HubHarness.Timeout);
        return await client.PublishAsync(message, cancellation.Token);
    }
}
