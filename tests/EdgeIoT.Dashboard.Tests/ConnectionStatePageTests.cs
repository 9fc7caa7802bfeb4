using System.Text.RegularExpressions;
using EdgeIoT.Hub.Tests;
using Microsoft.Playwright;

namespace EdgeIoT.Dashboard.Tests;

/// <summary>
/// What the dashboard shows when it loses the hub: the login form when its cookie is no longer
/// accepted, and a visible disconnected state with the age of its numbers when the hub is down.
/// </summary>
public sealed partial class ConnectionStatePageTests
{
    private static readonly float TimeoutMs = (float)HubHarness.Timeout.TotalMilliseconds;

    [ChromiumFact]
    [Trait("Category", "Security")]
    public async Task Page_CookieRejected_RedirectsToLoginAndBack()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options => options.Dashboard.RefreshInterval = TimeSpan.FromMilliseconds(300));
        (IPlaywright playwright, IBrowser browser) = await HeadlessChromium.LaunchAsync();
        using IPlaywright _ = playwright;
        await using IBrowser __ = browser;
        IBrowserContext context = await browser.NewContextAsync();
        IPage page = await context.NewPageAsync();
        await DashboardLogin.LogInAsync(page, hub);
        await WaitForLiveAsync(page);

        // The cookie a browser keeps after the operator token was rotated no longer matches.
        await ReplaceCookieAsync(context, hub, "cookie-of-the-previous-token");
        await WaitForLoginAsync(page);
        string loginUrl = page.Url;
        bool formShown = await page.Locator("input[name='token']").IsVisibleAsync();
        await page.FillAsync("input[name='token']", Hub.Security.OperatorToken.TryRead(hub.DataDirectory)!);
        await page.ClickAsync("button[type='submit']");
        await page.WaitForURLAsync("**/dashboard", new PageWaitForURLOptions { Timeout = TimeoutMs });
        await WaitForLiveAsync(page);

        // An expired cookie is one the browser no longer sends.
        await context.ClearCookiesAsync();
        await WaitForLoginAsync(page);

        Assert.Equal(hub.Endpoints.HttpUrl + "/login?returnUrl=%2Fdashboard", loginUrl);
        Assert.True(formShown);
        Assert.Equal(1, await page.Locator("input[name='token'][type='password']").CountAsync());
    }

    [ChromiumFact]
    public async Task Page_HubStopped_ShowsDisconnectedAndAge()
    {
        await using HubHarness hub = await HubHarness.StartAsync(options => options.Dashboard.RefreshInterval = TimeSpan.FromMilliseconds(300));
        (IPlaywright playwright, IBrowser browser) = await HeadlessChromium.LaunchAsync();
        using IPlaywright _ = playwright;
        await using IBrowser __ = browser;
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        await DashboardLogin.LogInAsync(page, hub);
        await WaitForLiveAsync(page);
        bool bannerBefore = await page.Locator("#disconnected").IsVisibleAsync();

        await hub.App.StopAsync();
        await page.Locator("#disconnected").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = TimeoutMs });

        // The age counts up by the browser's clock while every poll fails.
        await page.WaitForFunctionAsync(
            "() => /last updated ([2-9]|\\d\\d+) s ago/.test(document.getElementById('disconnected-detail').textContent)", null,
            new PageWaitForFunctionOptions { Timeout = TimeoutMs });
        string detail = await page.InnerTextAsync("#disconnected-detail");
        Assert.False(bannerBefore);
        Assert.Equal("disconnected", (await page.InnerTextAsync("#connection")).Trim());
        Assert.Matches(LastUpdated(), detail);
        Assert.Contains("unreachable", detail, StringComparison.Ordinal);
        Assert.EndsWith("/dashboard", page.Url, StringComparison.Ordinal);
    }

    private static Task WaitForLoginAsync(IPage page) => page.WaitForURLAsync(
        url => url.Contains("/login?", StringComparison.Ordinal), new PageWaitForURLOptions { Timeout = TimeoutMs });

    private static Task WaitForLiveAsync(IPage page) => page.WaitForFunctionAsync(
        "() => document.getElementById('connection').textContent === 'live'", null,
        new PageWaitForFunctionOptions { Timeout = TimeoutMs });

    private static async Task ReplaceCookieAsync(IBrowserContext context, HubHarness hub, string value)
    {
        await context.ClearCookiesAsync();
        await context.AddCookiesAsync(
        [
            new Cookie { Name = Hub.Security.OperatorAuthenticationHandler.CookieName, Value = value, Url = hub.Endpoints.HttpUrl },
        ]);
    }

    [GeneratedRegex(@"last updated \d+ s ago")]
    private static partial Regex LastUpdated();
}
