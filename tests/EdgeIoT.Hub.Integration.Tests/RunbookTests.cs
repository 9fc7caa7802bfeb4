using System.Buffers;
using System.Text.Json;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeIoT.Hub.Integration.Tests;

public sealed class RunbookTests
{
    [Fact]
    public async Task OperatorDay_InitThenRun_UsesInitSettings()
    {
        string data = HubProcess.NewDataDirectory();
        string csv = Path.Combine(data, "..", Guid.NewGuid().ToString("N") + ".csv");
        await File.WriteAllTextAsync(csv, Guests.Range(1, 20));

        ToolResult init = await ToolProcess.HubCliAsync(
            "init", "--data", data, "--venue", "fair", "--event-id", "9", "--min-snapshot-size", "10");
        ToolResult import = await ToolProcess.HubCliAsync("import", csv, "--data", data);
        ToolResult enroll = await ToolProcess.HubCliAsync("devices", "enroll", "lane-1", "--data", data);
        await using HubProcess hub = await HubProcess.StartAsync(data);
        ToolResult status = await ToolProcess.HubCliAsync("status", "--data", data, "--json");
        ToolResult snapshot = await ToolProcess.HubCliAsync("snapshot", "status", "--data", data);
        ToolResult check = await ToolProcess.HubCliAsync("devices", "check", "--data", data);
        File.Delete(csv);

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("Imported 20 entitlements from", import.Output, StringComparison.Ordinal);
        Assert.True(enroll.ExitCode == 0, enroll.ToString());
        Assert.Equal("fair", hub.Venue);
        Assert.True(status.ExitCode == 0, status.ToString());
        using JsonDocument statusJson = JsonDocument.Parse(status.Output);
        Assert.Equal(9u, statusJson.RootElement.GetProperty("eventId").GetUInt32());
        Assert.Equal(1u, statusJson.RootElement.GetProperty("snapshotVersion").GetUInt32());
        Assert.True(snapshot.ExitCode == 0, snapshot.ToString());
        Assert.Contains("20 entitlements", snapshot.Output, StringComparison.Ordinal);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("FAIL  lane-1: enrolled, last seen never", check.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportCommand_TooFewGuests_ExitsThree()
    {
        string data = HubProcess.NewDataDirectory();
        string csv = Path.Combine(data, "guests.csv");
        await File.WriteAllTextAsync(csv, Guests.Range(1, 3));

        ToolResult init = await ToolProcess.HubCliAsync("init", "--data", data, "--venue", "fair", "--event-id", "9", "--min-snapshot-size", "100");
        ToolResult import = await ToolProcess.HubCliAsync("import", csv, "--data", data);
        Directory.Delete(data, recursive: true);

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Equal(3, import.ExitCode);
        Assert.Contains("fewer than 100", import.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_InvalidValueOnRunningHub_ExitsTwo()
    {
        await using HubProcess hub = await HubProcess.StartAsync();

        ToolResult badId = await ToolProcess.HubCliAsync("devices", "enroll", "bad/id", "--data", hub.DataDirectory);
        ToolResult badZone = await ToolProcess.HubCliAsync("devices", "enroll", "lane-1", "--zone", "300", "--data", hub.DataDirectory);

        Assert.True(badId.ExitCode == 2, badId.ToString());
        Assert.Equal("error: deviceId 'bad/id' is invalid: use 1 to 64 letters, digits, '-', '_' or '.'.", badId.Error.Trim());
        Assert.True(badZone.ExitCode == 2, badZone.ToString());
        Assert.Equal("error: zone 300 is invalid: use 0 (every zone) to 255.", badZone.Error.Trim());
    }

    [Fact]
    public async Task KeysCommands_RotateAndRevoke_ListShowsStates()
    {
        await using HubProcess hub = await HubProcess.StartAsync();

        ToolResult rotate = await ToolProcess.HubCliAsync("keys", "rotate", "--data", hub.DataDirectory, "--json");
        Assert.True(rotate.ExitCode == 0, rotate.ToString());
        using JsonDocument rotated = JsonDocument.Parse(rotate.Output);
        string signing = rotated.RootElement.EnumerateArray().Single(key => key.GetProperty("signing").GetBoolean())
            .GetProperty("kid").GetString()!;
        ToolResult revoke = await ToolProcess.HubCliAsync("keys", "revoke", signing, "--data", hub.DataDirectory, "--json");
        Assert.True(revoke.ExitCode == 0, revoke.ToString());
        using JsonDocument revoked = JsonDocument.Parse(revoke.Output);
        ToolResult unknown = await ToolProcess.HubCliAsync("keys", "revoke", "00000000000000ff", "--data", hub.DataDirectory);

        JsonElement revokedKey = revoked.RootElement.EnumerateArray().Single(key => key.GetProperty("kid").GetString() == signing);
        Assert.True(revokedKey.GetProperty("revoked").GetBoolean());
        Assert.False(revokedKey.GetProperty("signing").GetBoolean());
        Assert.Single(revoked.RootElement.EnumerateArray(), key => key.GetProperty("signing").GetBoolean());
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No listed edge key has kid '00000000000000ff'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WristbandsIssue_RunningHub_WritesTagData()
    {
        string data = HubProcess.NewDataDirectory();
        string csv = Path.Combine(data, "..", Guid.NewGuid().ToString("N") + ".csv");
        string tagFile = Path.Combine(data, "..", Guid.NewGuid().ToString("N") + ".bin");
        await File.WriteAllTextAsync(csv, Guests.Range(1, 20));
        ToolResult init = await ToolProcess.HubCliAsync(
            "init", "--data", data, "--venue", "fair", "--event-id", "9", "--min-snapshot-size", "10");
        ToolResult import = await ToolProcess.HubCliAsync("import", csv, "--data", data);
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True(import.ExitCode == 0, import.ToString());
        await using HubProcess hub = await HubProcess.StartAsync(data);

        ToolResult issue = await ToolProcess.HubCliAsync(
            "wristbands", "issue", "--order", "PX-7", "--uid", "04:a2:2b:6a:3c:58:80", "--out", tagFile, "--data", data);
        ToolResult badUid = await ToolProcess.HubCliAsync(
            "wristbands", "issue", "--order", "PX-7", "--uid", "04A22B", "--data", data);
        ToolResult unknownOrder = await ToolProcess.HubCliAsync(
            "wristbands", "issue", "--order", "PX-999", "--uid", "04A22B6A3C5880", "--data", data);
        byte[] tagData = File.Exists(tagFile) ? await File.ReadAllBytesAsync(tagFile) : [];
        File.Delete(csv);
        File.Delete(tagFile);

        Assert.True(issue.ExitCode == 0, issue.ToString());
        Assert.Contains("bound to chip 04A22B6A3C5880", issue.Output, StringComparison.Ordinal);
        Assert.True(tagData.Length > 117, $"tag data of {tagData.Length} bytes");
        byte[] uid = Convert.FromHexString("04A22B6A3C5880");
        Assert.True(tagData.AsSpan().IndexOf(uid) >= 0, "the tag data does not carry the chip UID");
        Assert.True(badUid.ExitCode == 2, badUid.ToString());
        Assert.Contains("--uid '04A22B' is invalid", badUid.Error, StringComparison.Ordinal);
        Assert.True(unknownOrder.ExitCode == 1, unknownOrder.ToString());
        Assert.Contains("PX-999", unknownOrder.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusCommand_InvalidHubUrl_ExitsTwo()
    {
        ToolResult result = await ToolProcess.HubCliAsync("status", "--hub", "127.0.0.1:5080");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--hub '127.0.0.1:5080' is not an absolute http:// or https:// URL", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [BrokerData(BrokerKind.Embedded)]
    [BrokerData(BrokerKind.External)]
    public async Task SnapshotRequest_OlderVersion_DeltaMatchesFull(BrokerKind broker)
    {
        await using HubProcess hub = await HubProcess.StartAsync(broker);
        (await hub.ImportAsync(Guests.Range(1, 50))).EnsureSuccessStatusCode();
        IMqttClient lane = await hub.ConnectDeviceAsync("lane-1");
        EntitlementSnapshot held = EntitlementSnapshot.TryParse(await RequestAsync(hub, lane, version: 0), out string error)!;
        (await hub.ImportAsync(Guests.Rows(
            "PX-7,Guest 7,g7@example.test,General Admission,standard,refunded,,0",
            "PX-51,Guest 51,g51@example.test,General Admission,vip,paid,,0"))).EnsureSuccessStatusCode();

        byte[] delta = await RequestAsync(hub, lane, held.Version);
        EntitlementSnapshot updated = held.ApplyDelta(delta, out string deltaError);
        EntitlementSnapshot full = EntitlementSnapshot.TryParse(await RequestAsync(hub, lane, version: 0), out _);

        Assert.True(held is not null, error);
        Assert.True(EntitlementSnapshot.IsDelta(delta));
        Assert.True(updated is not null, deltaError);
        Assert.Equal(full.ToBytes(), updated.ToBytes());
        Assert.True(delta.Length < full.ToBytes().Length / 10, $"delta {delta.Length} bytes, full {full.ToBytes().Length}");
    }

    private static async Task<byte[]> RequestAsync(HubProcess hub, IMqttClient lane, uint version)
    {
        string responseTopic = Topics.SnapshotResponse(hub.Venue, "lane-1");
        byte[] correlation = Guid.NewGuid().ToByteArray();
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        Func<MqttApplicationMessageReceivedEventArgs, Task> handler = args =>
        {
            if (args.ApplicationMessage.CorrelationData?.AsSpan().SequenceEqual(correlation) == true)
            {
                answer.TrySetResult(args.ApplicationMessage.Payload.ToArray());
            }

            return Task.CompletedTask;
        };
        lane.ApplicationMessageReceivedAsync += handler;
        await lane.SubscribeAsync(responseTopic, MqttQualityOfServiceLevel.AtLeastOnce);
        await lane.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(Topics.SnapshotRequest(hub.Venue))
            .WithPayload(ProtocolJson.Serialize(new SnapshotRequest { DeviceId = "lane-1", Version = version }))
            .WithResponseTopic(responseTopic)
            .WithCorrelationData(correlation)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        byte[] payload = await answer.Task.WaitAsync(HubProcess.Timeout);
        lane.ApplicationMessageReceivedAsync -= handler;
        return payload;
    }
}
