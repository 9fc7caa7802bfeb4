using EdgeIoT.Hub.Tests;
using Microsoft.Playwright;

namespace EdgeIoT.Dashboard.Tests;

/// <summary>Logs a page in to the dashboard the way an operator does.</summary>
internal static class DashboardLogin
{
    /// <summary>
    /// Opens the dashboard, which redirects to the login page, enters the operator token from
    /// the hub's data directory and waits until the dashboard has loaded.
    /// </summary>
    public static async Task LogInAsync(IPage page, HubHarness hub)
    {
        await page.GotoAsync(hub.Endpoints.HttpUrl + "/dashboard");
        await page.FillAsync("input[name='token']", Hub.Security.OperatorToken.TryRead(hub.DataDirectory)!);
        await page.ClickAsync("button[type='submit']");
        await page.WaitForURLAsync(
            "**/dashboard", new PageWaitForURLOptions { Timeout = (float)HubHarness.Timeout.TotalMilliseconds });
    }
}
