using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.Hub.Tests;
using EdgeIoT.Hub.Tests.Dashboard;
using Microsoft.Playwright;

namespace EdgeIoT.Dashboard.Tests;

public sealed class DashboardPageTests
{
    private static readonly float TimeoutMs = (float)HubHarness.Timeout.TotalMilliseconds;

    [ChromiumFact]
    public async Task Page_AfterScenario_ShowsHubNumbers()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options => options.Dashboard.RefreshInterval = TimeSpan.FromMilliseconds(300));
        await DashboardScenario.RunAsync(hub);
        JsonElement state = await hub.Http.GetFromJsonAsync<JsonElement>("/api/dashboard");
        (IPlaywright playwright, IBrowser browser) = await HeadlessChromium.LaunchAsync();
        using IPlaywright _ = playwright;
        await using IBrowser __ = browser;
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });

        await DashboardLogin.LogInAsync(page, hub);
        await page.WaitForFunctionAsync(
            "() => document.getElementById('connection').textContent === 'live'", null,
            new PageWaitForFunctionOptions { Timeout = TimeoutMs });

        Assert.Equal(DashboardScenario.Admitted.ToString(CultureInfo.InvariantCulture), await Text(page, "#decisions-admitted"));
        Assert.Equal(DashboardScenario.Denied.ToString(CultureInfo.InvariantCulture), await Text(page, "#decisions-denied"));
        Assert.Equal(DashboardScenario.Offline.ToString(CultureInfo.InvariantCulture), await Text(page, "#decisions-offline"));
        Assert.Equal(DashboardScenario.Disputes.ToString(CultureInfo.InvariantCulture), await Text(page, "#disputes-count"));
        Assert.Equal("4.0 ms", await Text(page, "#latency-p50"));
        Assert.Equal("12 ms", await Text(page, "#latency-p99"));
        Assert.Equal(DashboardScenario.CheckInsQueued.ToString(CultureInfo.InvariantCulture), await Text(page, "#queue-checkIns"));
        Assert.Equal(DashboardScenario.TelemetryQueued.ToString(CultureInfo.InvariantCulture), await Text(page, "#queue-telemetry"));
        string keyId = state.GetProperty("keys").GetProperty("rotation").GetProperty("currentKeyId").GetString()!;
        Assert.Equal(keyId, await Text(page, "#key-current"));
    }

    [ChromiumFact]
    public async Task Page_AfterScenario_ShowsDeviceStatesAndAlarms()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options => options.Dashboard.RefreshInterval = TimeSpan.FromMilliseconds(300));
        await DashboardScenario.RunAsync(hub);
        (IPlaywright playwright, IBrowser browser) = await HeadlessChromium.LaunchAsync();
        using IPlaywright _ = playwright;
        await using IBrowser __ = browser;
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });

        await DashboardLogin.LogInAsync(page, hub);
        await page.WaitForSelectorAsync("tr[data-device='lane-2']", new PageWaitForSelectorOptions { Timeout = TimeoutMs });

        Assert.Equal("online", await Text(page, "tr[data-device='lane-1'] .state"));
        Assert.Equal("enrolled", await Text(page, "tr[data-device='esp32-1'] .state"));
        Assert.Equal("never", await Text(page, "tr[data-device='esp32-1'] .last-seen"));
        Assert.Equal(
            DashboardScenario.Lane2ClockOffsetMs.ToString(CultureInfo.InvariantCulture),
            await Text(page, "tr[data-device='lane-2'] .clock"));
        Assert.Equal("2", await Text(page, "#alarm-count"));
        string alarms = await Text(page, "#alarms");
        Assert.Contains("paper out: lane-2", alarms, StringComparison.Ordinal);
        Assert.Contains("clock drift: lane-2", alarms, StringComparison.Ordinal);
        int pageWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(pageWidth <= 390, $"The page is {pageWidth} px wide on a 390 px phone screen.");
    }

    [ChromiumFact]
    public async Task Page_NewDecision_UpdatesWithoutReload()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options => options.Dashboard.RefreshInterval = TimeSpan.FromMilliseconds(300));
        await DashboardScenario.RunAsync(hub);
        (IPlaywright playwright, IBrowser browser) = await HeadlessChromium.LaunchAsync();
        using IPlaywright _ = playwright;
        await using IBrowser __ = browser;
        IPage page = await browser.NewPageAsync();
        await DashboardLogin.LogInAsync(page, hub);
        await page.WaitForFunctionAsync(
            "() => document.getElementById('decisions-admitted').textContent === '3'", null,
            new PageWaitForFunctionOptions { Timeout = TimeoutMs });

        MQTTnet.IMqttClient gate = await hub.ConnectDeviceAsync("lane-3");
        await gate.PublishEventAsync(hub.Options.Venue, TestData.Event("lane-3", 1) with { EntitlementId = 4, LatencyMicros = 2000 });

        await page.WaitForFunctionAsync(
            "() => document.getElementById('decisions-admitted').textContent === '4'", null,
            new PageWaitForFunctionOptions { Timeout = TimeoutMs });
        Assert.Equal("4", await Text(page, "#decisions-admitted"));
    }

    [ChromiumFact]
    [Trait("Category", "Security")]
    public async Task Dashboard_NoLogin_RedirectsToLoginForm()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        (IPlaywright playwright, IBrowser browser) = await HeadlessChromium.LaunchAsync();
        using IPlaywright _ = playwright;
        await using IBrowser __ = browser;
        IPage page = await browser.NewPageAsync();

        IResponse? response = await page.GotoAsync(hub.Endpoints.HttpUrl + "/dashboard");

        Assert.Equal(200, response?.Status);
        Assert.StartsWith(hub.Endpoints.HttpUrl + "/login", page.Url, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("input[name='token'][type='password']").CountAsync());
        Assert.Equal(0, await page.Locator("#decisions-admitted").CountAsync());
    }

    [ChromiumFact]
    [Trait("Category", "Security")]
    public async Task Login_WrongToken_ShowsErrorAndNoCookie()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        (IPlaywright playwright, IBrowser browser) = await HeadlessChromium.LaunchAsync();
        using IPlaywright _ = playwright;
        await using IBrowser __ = browser;
        IBrowserContext context = await browser.NewContextAsync();
        IPage page = await context.NewPageAsync();
        await page.GotoAsync(hub.Endpoints.HttpUrl + "/dashboard");

        await page.FillAsync("input[name='token']", "not-the-token");
        await page.ClickAsync("button[type='submit']");

        Assert.StartsWith(hub.Endpoints.HttpUrl + "/login", page.Url, StringComparison.Ordinal);
        Assert.Contains("not this hub's operator token", await Text(page, ".error"), StringComparison.Ordinal);
        Assert.Empty(await context.CookiesAsync());
    }

    [ChromiumFact]
    [Trait("Category", "Security")]
    public async Task Login_RightToken_SetsHttpOnlyCookie()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        (IPlaywright playwright, IBrowser browser) = await HeadlessChromium.LaunchAsync();
        using IPlaywright _ = playwright;
        await using IBrowser __ = browser;
        IBrowserContext context = await browser.NewContextAsync();
        IPage page = await context.NewPageAsync();

        await DashboardLogin.LogInAsync(page, hub);
        BrowserContextCookiesResult cookie = Assert.Single(await context.CookiesAsync());
        string script = await page.EvaluateAsync<string>("() => document.cookie");
        string token = Hub.Security.OperatorToken.TryRead(hub.DataDirectory)!;

        Assert.Equal(hub.Endpoints.HttpUrl + "/dashboard", page.Url);
        Assert.True(cookie.HttpOnly);
        Assert.Equal("Strict", cookie.SameSite.ToString());
        Assert.DoesNotContain(token, cookie.Value, StringComparison.Ordinal);
        Assert.Equal(string.Empty, script);
    }

    private static async Task<string> Text(IPage page, string selector) =>
        (await page.Locator(selector).TextContentAsync(new LocatorTextContentOptions { Timeout = TimeoutMs }))?.Trim() ?? string.Empty;
}
