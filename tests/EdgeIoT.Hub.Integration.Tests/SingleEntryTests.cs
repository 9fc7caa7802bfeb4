using System.Buffers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Integration.Tests;

public sealed class SingleEntryTests
{
    [Fact]
    [Trait("Category", "Security")]
    public async Task OnlineCheck_SameTicketFromManyGates_ExactlyOneAdmit()
    {
        const int Gates = 16;
        await using HubProcess hub = await HubProcess.StartAsync();
        (await hub.ImportAsync(Guests.Range(1, 10))).EnsureSuccessStatusCode();
        HttpResponseMessage checkin = await hub.Http.PostAsJsonAsync("/api/checkin", new { orderCode = "PX-3" });
        string token = (await checkin.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        IMqttClient[] gates = await Task.WhenAll(Enumerable.Range(1, Gates).Select(i => hub.ConnectDeviceAsync($"gate-{i}")));

        CheckResponse[] responses = await Task.WhenAll(gates.Select((gate, i) => CheckAsync(hub, gate, $"gate-{i + 1}", token)));

        Assert.Single(responses, response => response.Outcome == "admit");
        Assert.Equal(Gates - 1, responses.Count(response => response.Reason == "already_admitted"));
    }

    private static async Task<CheckResponse> CheckAsync(HubProcess hub, IMqttClient gate, string deviceId, string token)
    {
        string responseTopic = Topics.CheckResponse(hub.Venue, deviceId);
        var answer = new TaskCompletionSource<CheckResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.ApplicationMessageReceivedAsync += args =>
        {
            answer.TrySetResult(ProtocolJson.Deserialize<CheckResponse>(args.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        await gate.SubscribeAsync(responseTopic, MqttQualityOfServiceLevel.AtLeastOnce);

        var request = new CheckRequest { DeviceId = deviceId, Nonce = Guid.NewGuid().ToString("N"), Token = token };
        await gate.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.CheckRequest(hub.Venue))
            .WithPayload(ProtocolJson.Serialize(request))
            .WithResponseTopic(responseTopic)
            .WithCorrelationData(Guid.NewGuid().ToByteArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        return await answer.Task.WaitAsync(HubProcess.Timeout);
    }
}
