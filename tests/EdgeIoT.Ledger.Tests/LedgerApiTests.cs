using System.Net;
using System.Text;
using System.Text.Json;
using EdgeIoT.Ledger.Api;

namespace EdgeIoT.Ledger.Tests;

/// <summary>Request limits and the hosting contract; they do not depend on the store, so they run on SQLite.</summary>
public sealed class LedgerApiTests
{
    [Fact]
    public async Task Batch_TooManyEvents_Returns413()
    {
        await using var target = new SqliteTarget();
        await using var ledger = await LedgerHost.StartAsync(target);

        using var response = await PostAsync(ledger, LedgerHost.BatchJson("venue-1", Events.Admits("gate-a", 5001)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        string error = ReadError(await response.Content.ReadAsStringAsync());
        Assert.Contains("5001 events", error, StringComparison.Ordinal);
        Assert.Contains("maximum is 5000", error, StringComparison.Ordinal);
        Assert.Empty(await ledger.GetEventIdsAsync("venue-1"));
    }

    [Fact]
    public async Task Batch_BodyOver8MiB_Returns413()
    {
        await using var target = new SqliteTarget();
        await using var ledger = await LedgerHost.StartAsync(target);
        string padding = new('x', 9 * 1024 * 1024);
        byte[] body = Encoding.UTF8.GetBytes($$"""{"hubId":"venue-1","events":[],"padding":"{{padding}}"}""");

        using var response = await PostAsync(ledger, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("maximum is 8388608", ReadError(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"hubId\":\"venue-1\",\"events\":[", "not valid JSON")]
    [InlineData("{\"events\":[]}", "hubId is missing")]
    [InlineData("{\"hubId\":\"venue-1\"}", "events is missing")]
    public async Task Batch_UnusableRequest_Returns400WithReason(string body, string expected)
    {
        await using var target = new SqliteTarget();
        await using var ledger = await LedgerHost.StartAsync(target);

        using var response = await PostAsync(ledger, Encoding.UTF8.GetBytes(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, ReadError(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_PortZero_WritesBoundUrl()
    {
        await using var target = new SqliteTarget();
        await using var ledger = await LedgerHost.StartAsync(target);

        string json = await File.ReadAllTextAsync(Path.Combine(target.DataDirectory, "ledger.endpoints.json"));

        var endpoints = JsonSerializer.Deserialize(json, LedgerJson.Default.EndpointsFile)!;
        Assert.Equal(ledger.Client.BaseAddress!.ToString().TrimEnd('/'), endpoints.Url);
        Assert.DoesNotContain(":0", endpoints.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_StoreReachable_ReturnsOk()
    {
        await using var target = new SqliteTarget();
        await using var ledger = await LedgerHost.StartAsync(target);

        string json = await ledger.Client.GetStringAsync(new Uri(LedgerEndpoints.HealthRoute, UriKind.Relative));

        var health = JsonSerializer.Deserialize(json, LedgerJson.Default.HealthResponse)!;
        Assert.Equal("ok", health.Status);
        Assert.Equal("sqlite", health.Store);
    }

    [Fact]
    public void Build_UnknownStore_ThrowsNamingSetting()
    {
        var error = Assert.Throws<LedgerConfigurationException>(() => LedgerApp.Build([], o => o.Store = "mysql"));

        Assert.Contains("Ledger:Store is 'mysql'", error.Message, StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> PostAsync(LedgerHost ledger, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return await ledger.Client.PostAsync(new Uri(LedgerEndpoints.BatchesRoute, UriKind.Relative), content);
    }

    private static string ReadError(string json) =>
        JsonSerializer.Deserialize(json, LedgerJson.Default.ErrorResponse)!.Error;
}
