using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeIoT.Hub.Tests.Dashboard;

public sealed class DashboardApiTests
{
    [Fact]
    public async Task Dashboard_AfterScenario_ReportsWhatHappened()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await DashboardScenario.RunAsync(hub);

        JsonElement data = await hub.Http.GetFromJsonAsync<JsonElement>("/api/dashboard");

        JsonElement decisions = data.GetProperty("decisions");
        Assert.Equal(DashboardScenario.Admitted, decisions.GetProperty("admitted").GetInt64());
        Assert.Equal(DashboardScenario.Denied, decisions.GetProperty("denied").GetInt64());
        Assert.Equal(DashboardScenario.Offline, decisions.GetProperty("offline").GetInt64());
        Assert.Equal(DashboardScenario.Disputes, data.GetProperty("disputes").GetProperty("count").GetInt32());
        JsonElement latency = data.GetProperty("latency").GetProperty("all");
        Assert.Equal(4, latency.GetProperty("count").GetInt32());
        Assert.Equal(DashboardScenario.P50Ms, latency.GetProperty("p50Ms").GetDouble());
        Assert.Equal(DashboardScenario.P99Ms, latency.GetProperty("p99Ms").GetDouble());
        Assert.Equal(DashboardScenario.CheckInsQueued, data.GetProperty("queue").GetProperty("checkIns").GetInt64());
        Assert.Equal(DashboardScenario.TelemetryQueued, data.GetProperty("queue").GetProperty("telemetry").GetInt64());
    }

    [Fact]
    public async Task Dashboard_AfterScenario_ListsDevicesAndAlarms()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await DashboardScenario.RunAsync(hub);

        JsonElement data = await hub.Http.GetFromJsonAsync<JsonElement>("/api/dashboard");

        Dictionary<string, JsonElement> devices = data.GetProperty("devices").EnumerateArray()
            .ToDictionary(device => device.GetProperty("deviceId").GetString()!);
        Assert.Equal(["esp32-1", "lane-1", "lane-2"], devices.Keys.Order());
        Assert.Equal("online", devices["lane-1"].GetProperty("state").GetString());
        Assert.Equal("enrolled", devices["esp32-1"].GetProperty("state").GetString());
        Assert.Equal(3, devices["lane-1"].GetProperty("outboxDepth").GetInt32());
        Assert.True(devices["lane-1"].GetProperty("lastSeenMs").GetInt64() > 0);
        string[] alarms = data.GetProperty("alarms").EnumerateArray()
            .Select(alarm => alarm.GetProperty("kind").GetString() + "@" + alarm.GetProperty("deviceId").GetString())
            .Order()
            .ToArray();
        Assert.Equal(["clock_drift@lane-2", "paper_out@lane-2"], alarms);
    }

    [Fact]
    public async Task Dashboard_Page_ServedFromAssemblyWithoutExternalReferences()
    {
        await using HubHarness hub = await HubHarness.StartAsync();

        HttpResponseMessage page = await hub.Http.GetAsync("/dashboard/");
        string html = await page.Content.ReadAsStringAsync();
        string script = await hub.Http.GetStringAsync("/dashboard/app.js");
        HttpResponseMessage missing = await hub.Http.GetAsync("/dashboard/secrets.json");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("viewport", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|href)=\"(?!/dashboard/)", html);
        // The SVG namespace is a name, not an address the browser loads.
        string scriptWithoutNamespace = script.Replace("\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal);
        Assert.DoesNotContain("//", scriptWithoutNamespace.Replace("// ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task ForecastRoute_NoDoorTimes_NotFound()
    {
        await using HubHarness hub = await HubHarness.StartAsync();

        HttpResponseMessage response = await hub.Http.GetAsync("/api/forecast");
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Hub:Forecast:DoorsOpen", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForecastRoute_OfflineDevice_Warned()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await using HubHarness hub = await HubHarness.StartAsync(options =>
        {
            options.Forecast.DoorsOpen = now.AddMinutes(-10);
            options.Forecast.DoorsClose = now.AddMinutes(50);
            options.Forecast.ReadinessLead = TimeSpan.FromHours(2);
        });
        await DashboardScenario.RunAsync(hub);

        JsonElement report = await hub.Http.GetFromJsonAsync<JsonElement>("/api/forecast");

        JsonElement forecast = report.GetProperty("forecast");
        Assert.Equal("M/M/c", forecast.GetProperty("model").GetString());
        Assert.Equal(12, forecast.GetProperty("bins").GetArrayLength());
        Assert.True(report.GetProperty("readinessDue").GetBoolean());
        string[] notReady = report.GetProperty("warnings").EnumerateArray()
            .Select(warning => warning.GetProperty("deviceId").GetString()!)
            .ToArray();
        Assert.Contains("esp32-1", notReady);
    }
}
