using EdgeIoT.Hub.Tests;
using EdgeIoT.Protocol.Messaging;
using Microsoft.Playwright;
using MQTTnet;

namespace EdgeIoT.Dashboard.Tests;

public sealed class LaneAlarmPageTests
{
    private static readonly float TimeoutMs = (float)HubHarness.Timeout.TotalMilliseconds;

    [ChromiumFact]
    public async Task Page_DoorForcedThenClosed_ShowsAndClearsAlarm()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options => options.Dashboard.RefreshInterval = TimeSpan.FromMilliseconds(300));
        IMqttClient lane = await hub.ConnectDeviceAsync("lane-1");
        await lane.PublishBytesAsync(Topics.Telemetry(hub.Options.Venue, "lane-1"), ProtocolJson.Serialize(new DeviceTelemetry
        {
            DeviceId = "lane-1", OutboxDepth = 0, ClockOffsetMs = 3, HubConnected = true, KeyListVersion = 4, SnapshotVersion = 9,
        }));
        await lane.PublishEventAsync(
            hub.Options.Venue, TestData.Event("lane-1", 1, EventKinds.Status) with { Detail = "door forced on pin 5" });
        (IPlaywright playwright, IBrowser browser) = await HeadlessChromium.LaunchAsync();
        using IPlaywright _ = playwright;
        await using IBrowser __ = browser;
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });

        await DashboardLogin.LogInAsync(page, hub);
        await page.WaitForSelectorAsync("tr[data-device='lane-1']", new PageWaitForSelectorOptions { Timeout = TimeoutMs });
        string raised = await page.InnerTextAsync("#alarms");
        string versions = await page.InnerTextAsync("tr[data-device='lane-1'] .versions");
        await lane.PublishEventAsync(
            hub.Options.Venue, TestData.Event("lane-1", 2, EventKinds.Status) with { Detail = "door closed on pin 5" });
        await page.WaitForFunctionAsync(
            "() => document.getElementById('alarms').textContent.includes('No alarms')", null,
            new PageWaitForFunctionOptions { Timeout = TimeoutMs });

        Assert.Contains("door forced: lane-1", raised, StringComparison.Ordinal);
        Assert.Equal("4 / 9", versions);
    }
}
