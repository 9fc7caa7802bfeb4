using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.Hub.Api;

namespace EdgeIoT.Hub.Tests;

public sealed class WalkinTests
{
    private const string Phone = "+4915112345678";

    [Fact]
    [Trait("Category", "Security")]
    public async Task Verify_FiveWrongCodes_LocksOut()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        HttpResponseMessage requested = await hub.Http.PostAsJsonAsync("/api/walkins/otp", new { phone = Phone });
        string code = ReadSentCode(hub);
        string wrong = ((int.Parse(code) + 1) % 1_000_000).ToString("D6");

        var statuses = new List<HttpStatusCode>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            statuses.Add((await VerifyAsync(hub, wrong)).StatusCode);
        }

        HttpResponseMessage right = await VerifyAsync(hub, code);

        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), statuses.Take(4));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[4]);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task Verify_RightCode_IssuesWalkInToken()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.Http.PostAsJsonAsync("/api/walkins/otp", new { phone = Phone });
        string code = ReadSentCode(hub);

        HttpResponseMessage response = await VerifyAsync(hub, code, spendLimitMinor: 2500);
        var token = (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
        HttpResponseMessage reused = await VerifyAsync(hub, code);
        JsonElement status = await hub.Http.GetFromJsonAsync<JsonElement>("/api/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("walk_in", token.Role);
        Firmware.Tokens.QrText.TryDecode(token.Token, out byte[] bytes);
        Firmware.Tokens.TokenCodec.TryDecode(bytes, out Firmware.Tokens.TokenClaims claims);
        Assert.Equal(2500u, claims.SpendAllowanceMinor);
        Assert.Equal(HttpStatusCode.Unauthorized, reused.StatusCode);
        Assert.Equal(1u, status.GetProperty("snapshotVersion").GetUInt32());
    }

    [Fact]
    public async Task Verify_RetriedWithRequestId_SameWalkIn()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.Http.PostAsJsonAsync("/api/walkins/otp", new { phone = Phone });
        string code = ReadSentCode(hub);

        HttpResponseMessage first = await VerifyAsync(hub, code, spendLimitMinor: 2500, requestId: "phone-app-7");
        HttpResponseMessage retried = await VerifyAsync(hub, code, spendLimitMinor: 2500, requestId: "phone-app-7");
        HttpResponseMessage otherRequest = await VerifyAsync(hub, code, spendLimitMinor: 2500, requestId: "someone-else");
        JsonElement status = await hub.Http.GetFromJsonAsync<JsonElement>("/api/status");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var firstToken = (await first.Content.ReadFromJsonAsync<TokenResponse>())!;
        var retriedToken = (await retried.Content.ReadFromJsonAsync<TokenResponse>())!;
        Assert.Equal(firstToken.EntitlementId, retriedToken.EntitlementId);
        Assert.Equal(HttpStatusCode.Unauthorized, otherRequest.StatusCode);
        Assert.Equal(1u, status.GetProperty("snapshotVersion").GetUInt32());
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task RequestCode_TwiceAtOnce_SecondRateLimited()
    {
        await using HubHarness hub = await HubHarness.StartAsync();

        HttpResponseMessage first = await hub.Http.PostAsJsonAsync("/api/walkins/otp", new { phone = Phone });
        HttpResponseMessage second = await hub.Http.PostAsJsonAsync("/api/walkins/otp", new { phone = Phone });
        HttpResponseMessage invalid = await hub.Http.PostAsJsonAsync("/api/walkins/otp", new { phone = "call me" });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("call me", await invalid.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> VerifyAsync(
        HubHarness hub, string code, long spendLimitMinor = 0, string? requestId = null) =>
        hub.Http.PostAsJsonAsync("/api/walkins/verify", new { phone = Phone, code, spendLimitMinor, requestId });

    private static string ReadSentCode(HubHarness hub)
    {
        string line = File.ReadLines(hub.Options.SmsOutboxPath).Last();
        JsonElement sent = JsonDocument.Parse(line).RootElement;
        Assert.Equal(Phone, sent.GetProperty("phone").GetString());
        return sent.GetProperty("code").GetString()!;
    }
}
