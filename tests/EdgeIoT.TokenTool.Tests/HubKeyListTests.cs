using System.Net.Http.Json;
using EdgeIoT.Hub;
using EdgeIoT.Hub.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeIoT.TokenTool.Tests;

/// <summary>The inspector fetching the key list from a real hub on an OS-chosen loopback port.</summary>
public sealed class HubKeyListTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "edgeiot-tokentool-hub", Guid.NewGuid().ToString("N"));
    private WebApplication? _hub;
    private HubEndpoints _endpoints = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _hub = HubApp.Build(
            [],
            options =>
            {
                options.DataDirectory = _folder;
                options.Mqtt.Port = 0;
                options.Http.Urls = "http://127.0.0.1:0";
                options.Ledger.BaseUrl = "http://127.0.0.1:9";
            },
            configureServices: services => services.AddLogging(logging => logging.ClearProviders()));
        await _hub.StartAsync();
        _endpoints = HubEndpoints.Read(_folder);
    }

    public async Task DisposeAsync()
    {
        if (_hub is not null)
        {
            await _hub.StopAsync();
            await _hub.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Inspect_CheckinTokenWithHubKeys_ExitsZero()
    {
        string token = await CheckinTokenAsync();

        var (exitCode, output, error) = await ToolFixture.RunAsync(
            "inspect", "--qr", token, "--hub", _endpoints.HttpUrl, "--root-key", _endpoints.RootPublicKey);

        Assert.True(exitCode == TokenToolCommands.Valid, output + error);
        Assert.Contains($"from {_endpoints.HttpUrl}/api/keys, root pinned by --root-key", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_HubNotListening_ExitsTwoNamingAddress()
    {
        var (exitCode, _, error) = await ToolFixture.RunAsync(
            "inspect", "--qr", "EI1:00", "--hub", "http://127.0.0.1:9");

        Assert.Equal(TokenToolCommands.UsageError, exitCode);
        Assert.Contains("Fetching the key list from http://127.0.0.1:9/api/keys failed", error, StringComparison.Ordinal);
    }

    private async Task<string> CheckinTokenAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_endpoints.HttpUrl) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", Hub.Security.OperatorToken.TryRead(_folder));
        string csv = "Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status,Seat,Zone\r\n"
            + "TT-1,Ira Test,ira@example.test,General Admission,standard,paid,,0\r\n";
        using var content = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        (await http.PostAsync("/api/entitlements/import", content)).EnsureSuccessStatusCode();
        HttpResponseMessage response = await http.PostAsJsonAsync("/api/checkin", new { orderCode = "TT-1" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
    }
}
