using System.Buffers;
using System.Collections.Concurrent;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Tests;

/// <summary>A gate that sends online check requests to the hub with MQTT 5 request/response.</summary>
internal sealed class CheckClient
{
    private readonly IMqttClient _client;
    private readonly string _venue;
    private readonly string _deviceId;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CheckResponse>> _pending = new();

    private CheckClient(IMqttClient client, string venue, string deviceId)
    {
        _client = client;
        _venue = venue;
        _deviceId = deviceId;
        client.ApplicationMessageReceivedAsync += args =>
        {
            string correlation = Convert.ToHexString(args.ApplicationMessage.CorrelationData ?? []);
            if (_pending.TryRemove(correlation, out var waiter))
            {
                waiter.TrySetResult(ProtocolJson.Deserialize<CheckResponse>(args.ApplicationMessage.Payload.ToArray()));
            }

            return Task.CompletedTask;
        };
    }

    public static async Task<CheckClient> ConnectAsync(HubHarness hub, string deviceId)
    {
        IMqttClient client = await hub.ConnectDeviceAsync(deviceId);
        var checkClient = new CheckClient(client, hub.Options.Venue, deviceId);
        await client.SubscribeAsync(Topics.CheckResponse(hub.Options.Venue, deviceId), MqttQualityOfServiceLevel.AtLeastOnce);
        return checkClient;
    }

    public async Task<CheckResponse> CheckAsync(string token, byte zone = 0, string? chipUid = null)
    {
        string nonce = Guid.NewGuid().ToString("N");
        byte[] correlation = Guid.NewGuid().ToByteArray();
        var waiter = new TaskCompletionSource<CheckResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[Convert.ToHexString(correlation)] = waiter;

        var request = new CheckRequest { DeviceId = _deviceId, Nonce = nonce, Token = token, Zone = zone, ChipUid = chipUid };
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(Topics.CheckRequest(_venue))
            .WithPayload(ProtocolJson.Serialize(request))
            .WithResponseTopic(Topics.CheckResponse(_venue, _deviceId))
            .WithCorrelationData(correlation)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await _client.PublishAsync(message);

        CheckResponse response = await waiter.Task.WaitAsync(HubHarness.Timeout);
        Assert.Equal(nonce, response.Nonce);
        return response;
    }
}
