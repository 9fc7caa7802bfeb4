using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using EdgeIoT.Hub.Security;

namespace EdgeIoT.Hub.Tests;

/// <summary>The operator token guards the administrative routes and the dashboard.</summary>
[Trait("Category", "Security")]
public sealed class OperatorAuthTests
{
    public static TheoryData<string, string> AdminRoutes => new()
    {
        { "GET", "/api/status" },
        { "GET", "/api/devices" },
        { "POST", "/api/devices" },
        { "GET", "/api/entitlements" },
        { "POST", "/api/entitlements/import" },
        { "GET", "/api/snapshot/status" },
        { "POST", "/api/keys/rotate" },
        { "POST", "/api/keys/0123456789abcdef/revoke" },
        { "POST", "/api/ledger/push" },
        { "GET", "/api/dead-letters" },
        { "GET", "/api/audit" },
        { "GET", "/api/audit/verify" },
        { "GET", "/api/dashboard" },
        { "GET", "/api/forecast" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AdminRoute_NoToken_Unauthorized(string method, string path)
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = hub.Http.BaseAddress };

        using HttpResponseMessage response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("operator token", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminRoute_WrongToken_Unauthorized()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        using var wrong = new HttpClient { BaseAddress = hub.Http.BaseAddress };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");

        using HttpResponseMessage response = await wrong.GetAsync("/api/status");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AdminRoute_BearerToken_Allowed()
    {
        await using HubHarness hub = await HubHarness.StartAsync();

        using HttpResponseMessage response = await hub.Http.GetAsync("/api/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/metrics")]
    [InlineData("/api/keys")]
    [InlineData("/login")]
    public async Task OpenRoute_NoToken_Allowed(string path)
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = hub.Http.BaseAddress };

        using HttpResponseMessage response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_NoToken_RedirectsToLogin()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = hub.Http.BaseAddress };

        using HttpResponseMessage response = await anonymous.GetAsync("/dashboard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fdashboard", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Login_RightToken_CookieOpensDashboardApi()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = hub.Http.BaseAddress,
        };
        string token = OperatorToken.TryRead(hub.DataDirectory)!;

        using HttpResponseMessage login = await browser.PostAsync("/login", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["token"] = token, ["returnUrl"] = "https://elsewhere.example/" }));
        using HttpResponseMessage dashboard = await browser.GetAsync("/api/dashboard");
        string setCookie = login.Headers.GetValues("Set-Cookie").Single();

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/dashboard", login.Headers.Location?.OriginalString);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(token, setCookie, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Fact]
    public async Task Login_WrongToken_UnauthorizedWithoutCookie()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = hub.Http.BaseAddress };

        using HttpResponseMessage login = await browser.PostAsync("/login", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["token"] = "not-the-token" }));

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.False(login.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task TokenFile_OwnerOnlyAndKeptAcrossStarts()
    {
        string directory;
        string first;
        var messages = new List<string>();
        await using (HubHarness hub = await HubHarness.StartAsync())
        {
            hub.KeepData = true;
            directory = hub.DataDirectory;
            first = OperatorToken.TryRead(directory)!;
            messages.AddRange(hub.Logs.Entries.Select(entry => entry.Message));
        }

        await using HubHarness again = await HubHarness.StartAsync(dataDirectory: directory);
        UnixFileMode? mode = OperatingSystem.IsWindows() ? null : File.GetUnixFileMode(OperatorToken.PathIn(directory));
        messages.AddRange(again.Logs.Entries.Select(entry => entry.Message));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.Equal(first, OperatorToken.TryRead(directory));
        Assert.Contains(messages, message => message.Contains(OperatorToken.FileName, StringComparison.Ordinal));
        Assert.DoesNotContain(messages, message => message.Contains(first, StringComparison.Ordinal));
    }
}
