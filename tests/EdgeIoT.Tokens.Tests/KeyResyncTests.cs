using EdgeIoT.EdgeAgent.Decisions;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Tokens.Tests;

/// <summary>
/// A device that rejects a token as unknown_kid requests the key list from the hub at most once
/// per interval, and the hub sends it on the device's own topic.
/// </summary>
public sealed class KeyResyncTests
{
    private const int HubResyncLogEvent = 1310;

    [Fact]
    public async Task Esp32_OldKeyList_ResyncsAndAdmits()
    {
        await using TestVenue venue = await TestVenue.StartAsync();
        await using FirmwareGate gate = await FirmwareGate.StartAsync(venue, "esp32-1");
        Assert.True(gate.App.OnMessage(Topics.Keys(gate.Venue), venue.Keys.SignedKeyList));
        uint oldVersion = gate.App.KeyListVersion;
        await gate.WaitUntilAsync(
            () => gate.App.ClockSynchronized && gate.App.SnapshotVersion > 0 && gate.App.PolicyVersion is not null,
            "a time beacon, the snapshot and the policy");

        (await venue.Http.PostAsync("/api/keys/rotate", null)).EnsureSuccessStatusCode();
        string token = await venue.CheckInAsync("PX-1");
        FirmwareDecision first = gate.Scan(token);
        await gate.WaitUntilAsync(() => gate.App.KeyListVersion > oldVersion, "the key list the hub sends back");
        FirmwareDecision second = gate.Scan(token);

        Assert.Equal(RejectReason.UnknownKeyId, first.Reason);
        Assert.Equal(1, gate.PublishedTo(Topics.KeyResyncRequest(gate.Venue, gate.DeviceId)));
        Assert.Equal(1, gate.ReceivedOn(Topics.DeviceKeys(gate.Venue, gate.DeviceId)));
        Assert.True(second.Admitted, $"second scan was denied as {RejectReasons.ToCode(second.Reason)}");
    }

    [Fact]
    public async Task Esp32_BurstOf50_SendsOneRequest()
    {
        await using TestVenue venue = await TestVenue.StartAsync();
        await using FirmwareGate gate = await FirmwareGate.StartAsync(venue, "esp32-1");
        Assert.True(gate.App.OnMessage(Topics.Keys(gate.Venue), venue.Keys.SignedKeyList));
        string unknownKid = WithUnknownKid(await venue.CheckInAsync("PX-1"));

        RejectReason[] reasons = [.. Enumerable.Range(0, 50).Select(_ => gate.Scan(unknownKid).Reason)];
        await gate.WaitUntilAsync(
            () => gate.ReceivedOn(Topics.DeviceKeys(gate.Venue, gate.DeviceId)) > 0, "the hub's answer to the request");

        Assert.All(reasons, reason => Assert.Equal(RejectReason.UnknownKeyId, reason));
        Assert.Equal(1, gate.App.ResyncRequestsSent);
        Assert.Equal(1, venue.LogCount(HubResyncLogEvent));
    }

    [Fact]
    public async Task Agent_BurstOf50_SendsOneRequest()
    {
        await using TestVenue venue = await TestVenue.StartAsync();
        await using AgentLane lane = await AgentLane.StartAsync(venue, "lane-1");
        string unknownKid = WithUnknownKid(await venue.CheckInAsync("PX-1"));

        var reasons = new List<RejectReason>();
        for (int i = 0; i < 50; i++)
        {
            AgentDecision? decision = await lane.Pipeline.DecideAsync(
                new ScanRead(unknownKid, ScanSource.Qr, System.Diagnostics.Stopwatch.GetTimestamp()), CancellationToken.None);
            reasons.Add(decision!.Reason);
        }

        await lane.WaitUntilAsync(() => venue.LogCount(HubResyncLogEvent) > 0, "the hub to receive the request");

        Assert.All(reasons, reason => Assert.Equal(RejectReason.UnknownKeyId, reason));
        Assert.Equal(1, venue.LogCount(HubResyncLogEvent));
    }

    /// <summary>Replaces the kid of a token with one no key list holds; the signature check never runs.</summary>
    private static string WithUnknownKid(string token)
    {
        Assert.Equal(RejectReason.None, QrText.TryDecode(token, out byte[] bytes));
        BigEndian.WriteUInt64(bytes, TokenLayout.KeyIdOffset, 0x0123456789abcdefUL);
        return QrText.Encode(bytes);
    }
}
