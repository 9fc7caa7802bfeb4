using System.Buffers;
using System.Net;
using System.Net.Http.Json;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Tests;

public sealed class SnapshotDeltaTests
{
    [Fact]
    public async Task SnapshotRoute_SinceOlderVersion_OnlyChanges()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests(Rows(1, 40)));
        EntitlementSnapshot held = EntitlementSnapshot.TryParse(await hub.Http.GetByteArrayAsync("/api/snapshot"), out _);
        await hub.ImportAsync(TestData.Guests(
            "PX-3,Guest 3,g3@example.test,General Admission,standard,refunded,,0",
            "PX-41,Guest 41,g41@example.test,General Admission,vip,paid,,0"));

        using HttpResponseMessage response = await hub.Http.GetAsync($"/api/snapshot?since={held.Version}");
        byte[] delta = await response.Content.ReadAsByteArrayAsync();
        EntitlementSnapshot updated = held.ApplyDelta(delta, out string error);

        Assert.Equal("delta", response.Headers.GetValues("X-Snapshot-Kind").Single());
        Assert.Equal(EntitlementSnapshot.DeltaHeaderLength + (2 * EntitlementSnapshot.RecordLength), delta.Length);
        Assert.True(updated is not null, error);
        Assert.Equal(2u, updated.Version);
        Assert.Equal(41, updated.Count);
        Assert.True(updated.Find(3).Cancelled);
        Assert.Equal(MembershipTier.Vip, updated.Find(41).Tier);
    }

    [Fact]
    public async Task SnapshotRoute_NoVersionHeld_ReturnsFullSnapshot()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests(Rows(1, 5)));

        using HttpResponseMessage response = await hub.Http.GetAsync("/api/snapshot?since=0");
        EntitlementSnapshot full = EntitlementSnapshot.TryParse(await response.Content.ReadAsByteArrayAsync(), out string error);

        Assert.Equal("full", response.Headers.GetValues("X-Snapshot-Kind").Single());
        Assert.True(full is not null, error);
        Assert.Equal(5, full.Count);
    }

    [Fact]
    public async Task SnapshotRoute_BelowMinimumSize_NotServed()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options => options.MinSnapshotSize = 3);

        HttpResponseMessage import = await hub.ImportAsync(TestData.Guests(Rows(1, 2)));
        using HttpResponseMessage response = await hub.Http.GetAsync("/api/snapshot");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, import.StatusCode);
        Assert.Contains("fewer than 3", await import.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SnapshotRequest_OverMqtt_RepliesWithDelta()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests(Rows(1, 30)));
        await hub.ImportAsync(TestData.Guests("PX-31,Guest 31,g31@example.test,General Admission,standard,paid,,0"));
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        string responseTopic = Topics.SnapshotResponse(hub.Options.Venue, "gate-1");
        var received = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.ApplicationMessageReceivedAsync += args =>
        {
            received.TrySetResult(args.ApplicationMessage);
            return Task.CompletedTask;
        };
        await gate.SubscribeAsync(responseTopic, MqttQualityOfServiceLevel.AtLeastOnce);

        await gate.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.SnapshotRequest(hub.Options.Venue))
            .WithPayload(ProtocolJson.Serialize(new SnapshotRequest { DeviceId = "gate-1", Version = 1 }))
            .WithResponseTopic(responseTopic)
            .WithCorrelationData([1, 2, 3])
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        MqttApplicationMessage answer = await received.Task.WaitAsync(HubHarness.Timeout);
        byte[] payload = answer.Payload.ToArray();

        Assert.True(EntitlementSnapshot.IsDelta(payload));
        Assert.Equal(new byte[] { 1, 2, 3 }, answer.CorrelationData);
        Assert.Equal(EntitlementSnapshot.DeltaHeaderLength + EntitlementSnapshot.RecordLength, payload.Length);
    }

    [Fact]
    public async Task TimeBeacon_FromHub_VerifiesWithKeyList()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient gate = await hub.ConnectDeviceAsync("gate-1");
        var keysPayload = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var beaconPayload = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.ApplicationMessageReceivedAsync += args =>
        {
            TaskCompletionSource<byte[]> target = args.ApplicationMessage.Topic == Topics.Keys(hub.Options.Venue) ? keysPayload : beaconPayload;
            target.TrySetResult(args.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
        await gate.SubscribeAsync(Topics.Keys(hub.Options.Venue), MqttQualityOfServiceLevel.AtLeastOnce);
        await gate.SubscribeAsync(Topics.Time(hub.Options.Venue));

        KeyList keys = KeyList.TryParseSigned(
            await keysPayload.Task.WaitAsync(HubHarness.Timeout),
            Convert.FromBase64String(hub.Endpoints.RootPublicKey),
            NSecSignatureVerifier.Instance,
            out string keyError);
        TimeBeacon beacon = ProtocolJson.Deserialize<TimeBeacon>(await beaconPayload.Task.WaitAsync(HubHarness.Timeout));
        string? valid = TimeBeaconSignature.Check(
            NSecSignatureVerifier.Instance, keys, hub.Options.EventId, beacon.Epoch, beacon.HubTimeMs, beacon.Kid!, beacon.Signature!);
        string? forged = TimeBeaconSignature.Check(
            NSecSignatureVerifier.Instance, keys, hub.Options.EventId, beacon.Epoch, beacon.HubTimeMs + 1, beacon.Kid!, beacon.Signature!);

        Assert.True(keys is not null, keyError);
        Assert.Null(valid);
        Assert.Equal("time beacon signature does not verify", forged);
    }

    private static string[] Rows(int first, int last) => Enumerable.Range(first, last - first + 1)
        .Select(i => $"PX-{i},Guest {i},g{i}@example.test,General Admission,standard,paid,,0")
        .ToArray();
}
