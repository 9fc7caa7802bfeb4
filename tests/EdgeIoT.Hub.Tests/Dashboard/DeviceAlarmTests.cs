using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.Protocol.Messaging;
using MQTTnet;

namespace EdgeIoT.Hub.Tests.Dashboard;

/// <summary>
/// Status events from an enrolled lane raise and clear dashboard alarms. The details are the
/// ones the edge agent sends for its gate and printer.
/// </summary>
public sealed class DeviceAlarmTests
{
    [Theory]
    [InlineData("door forced on pin 5", "door closed on pin 5", "door_forced")]
    [InlineData("door held on pin 5", "door closed on pin 5", "door_held")]
    [InlineData("fire release on pin 6: lane held open", "fire cleared on pin 6: lane back in service", "fire_release")]
    [InlineData("paper out", "paper loaded", "paper_out")]
    [InlineData("cover open", "cover closed", "cover_open")]
    public async Task StatusEvents_RaiseThenClear_DashboardAlarm(string raise, string clear, string kind)
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient lane = await hub.ConnectDeviceAsync("lane-1");

        await PublishStatusAsync(hub, lane, "lane-1", 1, raise);
        JsonElement[] raised = await AlarmsAsync(hub);
        await PublishStatusAsync(hub, lane, "lane-1", 2, clear);
        JsonElement[] cleared = await AlarmsAsync(hub);

        JsonElement alarm = Assert.Single(raised);
        Assert.Equal(kind, alarm.GetProperty("kind").GetString());
        Assert.Equal("lane-1", alarm.GetProperty("deviceId").GetString());
        Assert.Equal(raise, alarm.GetProperty("detail").GetString());
        Assert.Empty(cleared);
    }

    [Fact]
    public async Task DoorClosed_OtherLaneAlarm_StaysRaised()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        IMqttClient lane1 = await hub.ConnectDeviceAsync("lane-1");
        IMqttClient lane2 = await hub.ConnectDeviceAsync("lane-2");

        await PublishStatusAsync(hub, lane1, "lane-1", 1, "door forced on pin 5");
        await PublishStatusAsync(hub, lane2, "lane-2", 1, "door closed on pin 5");
        JsonElement[] alarms = await AlarmsAsync(hub);

        JsonElement alarm = Assert.Single(alarms);
        Assert.Equal("lane-1", alarm.GetProperty("deviceId").GetString());
    }

    [Fact]
    public async Task HubRestart_KeepsClearableAlarmsAndLatencies()
    {
        string dataDirectory;
        await using (HubHarness first = await HubHarness.StartAsync())
        {
            first.KeepData = true;
            dataDirectory = first.DataDirectory;
            IMqttClient lane1 = await first.ConnectDeviceAsync("lane-1");
            IMqttClient lane2 = await first.ConnectDeviceAsync("lane-2");
            await PublishStatusAsync(first, lane1, "lane-1", 1, "paper out");
            await PublishStatusAsync(first, lane2, "lane-2", 1, "cover open");
            await PublishStatusAsync(first, lane2, "lane-2", 2, "cover closed");
            await PublishStatusAsync(first, lane2, "lane-2", 3, "outbox full: 100000 events held");
            EdgeEvent decision = TestData.Event("lane-1", 2, EventKinds.Decision) with { LatencyMicros = 12_000 };
            Assert.True((await lane1.PublishEventAsync(first.Options.Venue, decision)).IsSuccess);
        }

        await using HubHarness second = await HubHarness.StartAsync(dataDirectory: dataDirectory);
        JsonElement data = await second.Http.GetFromJsonAsync<JsonElement>("/api/dashboard");

        JsonElement alarm = Assert.Single(data.GetProperty("alarms").EnumerateArray());
        Assert.Equal("paper_out", alarm.GetProperty("kind").GetString());
        Assert.Equal("lane-1", alarm.GetProperty("deviceId").GetString());
        JsonElement latency = data.GetProperty("latency").GetProperty("all");
        Assert.Equal(1, latency.GetProperty("count").GetInt32());
        Assert.Equal(12.0, latency.GetProperty("p99Ms").GetDouble());
    }

    private static async Task PublishStatusAsync(HubHarness hub, IMqttClient client, string deviceId, long seq, string detail)
    {
        EdgeEvent status = TestData.Event(deviceId, seq, EventKinds.Status) with { Detail = detail };
        MqttClientPublishResult result = await client.PublishEventAsync(hub.Options.Venue, status);
        Assert.True(result.IsSuccess, $"{status.EventId}: {result.ReasonCode}");
    }

    private static async Task<JsonElement[]> AlarmsAsync(HubHarness hub)
    {
        JsonElement data = await hub.Http.GetFromJsonAsync<JsonElement>("/api/dashboard");
        return [.. data.GetProperty("alarms").EnumerateArray().Select(alarm => alarm.Clone())];
    }
}
