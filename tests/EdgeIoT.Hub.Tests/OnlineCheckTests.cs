using System.Net.Http.Json;
using EdgeIoT.Hub.Api;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Tests;

public sealed class OnlineCheckTests
{
    [Fact]
    [Trait("Category", "Security")]
    public async Task Check_SameTicketFrom20Gates_ExactlyOneAdmit()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests("PX-1,A One,a@example.test,General Admission,standard,paid,,0"));
        string token = await CheckinAsync(hub, "PX-1");
        CheckClient[] gates = await Task.WhenAll(
            Enumerable.Range(1, 20).Select(i => CheckClient.ConnectAsync(hub, $"gate-{i}")));

        CheckResponse[] responses = await Task.WhenAll(gates.Select(gate => gate.CheckAsync(token)));

        Assert.Single(responses, response => response.Outcome == "admit");
        Assert.Equal(19, responses.Count(response => response.Reason == "already_admitted"));
        Assert.All(responses.Where(r => r.Outcome == "deny"), r => Assert.Equal("already_admitted", r.Reason));
    }

    [Fact]
    public async Task Check_StaffPass_AdmittedEveryTime()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests("PX-7,Sam Staff,sam@example.test,Staff Crew,staff,complimentary,,0"));
        string token = await CheckinAsync(hub, "PX-7");
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");

        CheckResponse first = await gate.CheckAsync(token);
        CheckResponse second = await gate.CheckAsync(token);

        Assert.Equal("admit", first.Outcome);
        Assert.Equal("admit", second.Outcome);
    }

    [Fact]
    public async Task Check_GarbageToken_DeniedWithReason()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests("PX-1,A One,a@example.test,General Admission,standard,paid,,0"));
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");

        CheckResponse lowercase = await gate.CheckAsync("ei1:abc");
        CheckResponse malformed = await gate.CheckAsync("EI1:A");

        Assert.Equal("deny", lowercase.Outcome);
        Assert.Equal("scanner_misconfigured", lowercase.Reason);
        Assert.Equal("malformed", malformed.Reason);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task Check_WrongZone_Denied()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests("PX-1,A One,a@example.test,VIP Lounge,vip,paid,V1,2"));
        string token = await CheckinAsync(hub, "PX-1");
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");

        CheckResponse response = await gate.CheckAsync(token, zone: 1);

        Assert.Equal("wrong_zone", response.Reason);
    }

    [Fact]
    public async Task Check_AssistantToken_AdmittedAsDelegated()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests("PX-5,Tor Lin,tor@example.test,Creator,vip,complimentary,,0"));
        HttpResponseMessage added = await hub.Http.PostAsJsonAsync("/api/creators/PX-5/assistants", new { name = "Ada" });
        var assistant = (await added.Content.ReadFromJsonAsync<AssistantResponse>())!;
        HttpResponseMessage issued = await hub.Http.PostAsync($"/api/assistants/{assistant.AssistantEntitlementId}/token", null);
        var token = (await issued.Content.ReadFromJsonAsync<TokenResponse>())!;
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");

        CheckResponse response = await gate.CheckAsync(token.Token);

        Assert.True(added.IsSuccessStatusCode);
        Assert.Equal("creator_assistant", token.Role);
        Assert.Equal("admit", response.Outcome);
        var claims = DecodeClaims(token.Token);
        Assert.Equal(Firmware.Tokens.TokenType.Delegated, claims.Type);
        Assert.Equal(1u, claims.DelegatorId);
    }

    private static Firmware.Tokens.TokenClaims DecodeClaims(string qrText)
    {
        Firmware.Tokens.QrText.TryDecode(qrText, out byte[] bytes);
        Firmware.Tokens.TokenCodec.TryDecodeLeading(bytes, out Firmware.Tokens.TokenClaims claims);
        return claims;
    }

    private static async Task<string> CheckinAsync(HubHarness hub, string orderCode)
    {
        HttpResponseMessage response = await hub.Http.PostAsJsonAsync("/api/checkin", new { orderCode });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
    }
}
