using Microsoft.Playwright;

namespace EdgeIoT.Dashboard.Tests;

/// <summary>
/// Debian's Chromium (package <c>chromium</c>) driven by Playwright; Playwright's own browser
/// download is never used. Tests skip with a message when the package is missing.
/// </summary>
internal static class HeadlessChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static string? SkipReason =>
        File.Exists(ExecutablePath) ? null : $"{ExecutablePath} is missing; install Debian's chromium package.";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        IPlaywright playwright = await Playwright.CreateAsync();
        IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // Containers and CI run as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox"],
        });
        return (playwright, browser);
    }
}
