using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeIoT.Hub.Tests;

/// <summary>
/// The offline policy's forwardPaymentsWithinSeconds at the hub: late payments are flagged, and
/// the lanes' overdue-payment and dead-letter alarms reach the dashboard.
/// </summary>
public sealed class PaymentDeadlineTests
{
    private static readonly string PolicyPath = Path.Combine(AppContext.BaseDirectory, "policies", "venue-default.json");

    [Fact]
    public async Task Payment_PastForwardDeadline_FlaggedLate()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options => options.PolicyFile = PolicyPath);
        MQTTnet.IMqttClient bar = await hub.ConnectDeviceAsync("bar-1");
        long nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        uint deadlineSeconds = hub.App.Services.GetRequiredService<Checks.HubPolicy>().Current!.Guardrails.ForwardPaymentsWithinSeconds;
        EdgeEvent late = TestData.Event("bar-1", 1, EventKinds.Payment) with { DeviceTimeMs = nowMs - ((deadlineSeconds + 60) * 1000L) };
        EdgeEvent timely = TestData.Event("bar-1", 2, EventKinds.Payment) with { DeviceTimeMs = nowMs - 60_000 };

        MQTTnet.MqttClientPublishResult lateResult = await bar.PublishEventAsync(hub.Options.Venue, late);
        MQTTnet.MqttClientPublishResult timelyResult = await bar.PublishEventAsync(hub.Options.Venue, timely);

        Assert.True(lateResult.IsSuccess, lateResult.ReasonCode.ToString());
        Assert.True(timelyResult.IsSuccess, timelyResult.ReasonCode.ToString());
        Assert.True(HubDatabaseProbe.StoredEvent(hub, late.EventId).ForwardedLate);
        Assert.Null(HubDatabaseProbe.StoredEvent(hub, timely.EventId).ForwardedLate);
    }

    [Fact]
    public async Task PaymentsOverdueAlarm_ShownThenCleared()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        MQTTnet.IMqttClient bar = await hub.ConnectDeviceAsync("bar-1");

        await bar.PublishEventAsync(hub.Options.Venue, TestData.Event("bar-1", 1, EventKinds.Status) with
        {
            Detail = "payments overdue: payment bar-1:7 is 90000 s old, past forwardPaymentsWithinSeconds 86400",
        });
        await bar.PublishEventAsync(hub.Options.Venue, TestData.Event("bar-1", 2, EventKinds.Status) with
        {
            Detail = "dead letter: event bar-1:9 (payment) moved aside after 5 hub rejections: PayloadFormatInvalid",
        });
        string[] raised = await AlarmsAsync(hub);
        await bar.PublishEventAsync(hub.Options.Venue, TestData.Event("bar-1", 3, EventKinds.Status) with
        {
            Detail = "payments forwarded: no payment is past forwardPaymentsWithinSeconds",
        });
        string[] afterForwarding = await AlarmsAsync(hub);

        Assert.Equal(["dead_letter@bar-1", "payments_overdue@bar-1"], raised);
        Assert.Equal(["dead_letter@bar-1"], afterForwarding);
    }

    private static async Task<string[]> AlarmsAsync(HubHarness hub)
    {
        JsonElement data = await hub.Http.GetFromJsonAsync<JsonElement>("/api/dashboard");
        return [.. data.GetProperty("alarms").EnumerateArray()
            .Select(alarm => alarm.GetProperty("kind").GetString() + "@" + alarm.GetProperty("deviceId").GetString())
            .Order()];
    }
}
