using System.Net;
using System.Net.Http.Json;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Api;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;
using EdgeIoT.Protocol.Tokens;

namespace EdgeIoT.Hub.Tests;

/// <summary>Passes with rotating codes, delegated tokens with certificates, and the key routes.</summary>
public sealed class TokenApiTests
{
    [Fact]
    public async Task Pass_CurrentCode_AdmittedByOnlineCheck()
    {
        await using HubHarness hub = await HubHarness.StartWithGuestAsync();
        PassResponse pass = await IssuePassAsync(hub);
        var phone = new RotatingPass(Convert.FromBase64String(pass.Pass), Convert.FromBase64String(pass.Secret), TimeProvider.System);
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");

        CheckResponse response = await gate.CheckAsync(phone.CurrentQrText());

        Assert.Equal("admit", response.Outcome);
        Assert.Equal(RotatingCode.StepSeconds, pass.StepSeconds);
        Assert.Equal(RotatingCode.Digits, pass.Digits);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task Pass_ScreenshotOlderThanWindow_DeniedAsRotatingCodeExpired()
    {
        await using HubHarness hub = await HubHarness.StartWithGuestAsync();
        PassResponse pass = await IssuePassAsync(hub);
        byte[] passBytes = Convert.FromBase64String(pass.Pass);
        ulong screenshotTime = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds() - (3 * RotatingCode.StepSeconds);
        string screenshot = QrText.Encode(RotatingCode.Append(passBytes, Convert.FromBase64String(pass.Secret), screenshotTime));
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");

        CheckResponse response = await gate.CheckAsync(screenshot);

        Assert.Equal("deny", response.Outcome);
        Assert.Equal("rotating_code_expired", response.Reason);
    }

    [Fact]
    public async Task Pass_UnknownOrderCode_NotFoundNamingCode()
    {
        await using HubHarness hub = await HubHarness.StartWithGuestAsync();

        HttpResponseMessage response = await hub.Http.PostAsJsonAsync("/api/passes", new { orderCode = "NOPE-1" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("NOPE-1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssistantToken_CarriesCertificateBoundToCreator()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests("PX-5,Tor Lin,tor@example.test,Creator,vip,complimentary,,0"));
        HttpResponseMessage added = await hub.Http.PostAsJsonAsync("/api/creators/PX-5/assistants", new { name = "Ada", spendLimitMinor = 7000 });
        var assistant = (await added.Content.ReadFromJsonAsync<AssistantResponse>())!;
        HttpResponseMessage issued = await hub.Http.PostAsync($"/api/assistants/{assistant.AssistantEntitlementId}/token", null);
        var token = (await issued.Content.ReadFromJsonAsync<TokenResponse>())!;
        TokenVerifier verifier = await hub.FetchVerifierAsync();

        Assert.Equal(RejectReason.None, QrText.TryDecode(token.Token, out byte[] credential));
        VerifyResult result = verifier.Verify(
            credential, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), clockReliable: true, gateZone: 0, revocations: null, seen: null);

        Assert.Equal(TokenLayout.TotalLength + DelegationCertificate.TotalLength, credential.Length);
        Assert.Equal(RejectReason.None, result.Reason);
        Assert.Equal(1u, result.Delegation.CreatorId);
        Assert.Equal(assistant.AssistantEntitlementId, result.Delegation.AssistantId);
        Assert.Equal(7000u, result.Delegation.SpendLimitMinor);
        Assert.Equal((uint)(assistant.ExpiresAtMs / 1000), result.Delegation.NotAfterUnixSeconds);
    }

    [Fact]
    public async Task Keys_Get_ReturnsListSignedByRoot()
    {
        await using HubHarness hub = await HubHarness.StartAsync();

        KeyListResponse keys = (await hub.Http.GetFromJsonAsync<KeyListResponse>("/api/keys"))!;
        KeyList? list = KeyList.TryParseSigned(
            Convert.FromBase64String(keys.SignedKeyList), Convert.FromBase64String(hub.Endpoints.RootPublicKey),
            NSecSignatureVerifier.Instance, out string? error);

        Assert.Null(error);
        Assert.NotNull(list);
        Assert.Equal(keys.KeyListVersion, list.Version);
        Assert.Equal(hub.Options.EventId, list.EventId);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task Keys_RevokeSigningKey_TokensBeforeAreKeyRevoked()
    {
        await using HubHarness hub = await HubHarness.StartWithGuestAsync();
        HttpResponseMessage checkin = await hub.Http.PostAsJsonAsync("/api/checkin", new { orderCode = "PX-1" });
        string token = (await checkin.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
        QrText.TryDecode(token, out byte[] bytes);
        string kid = KeyIds.ToHex(BigEndian.ReadUInt64(bytes, TokenLayout.KeyIdOffset));
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");

        HttpResponseMessage revoked = await hub.Http.PostAsync($"/api/keys/{kid}/revoke", null);
        CheckResponse response = await gate.CheckAsync(token);
        HttpResponseMessage again = await hub.Http.PostAsync($"/api/keys/{kid}/revoke", null);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal("key_revoked", response.Reason);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task Keys_RevokeMalformedKid_BadRequestNamingValue()
    {
        await using HubHarness hub = await HubHarness.StartAsync();

        HttpResponseMessage response = await hub.Http.PostAsync("/api/keys/xyz/revoke", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("kid 'xyz' is invalid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_Response_CarriesRotatingCodeKey()
    {
        await using HubHarness hub = await HubHarness.StartAsync();

        EnrollDeviceResponse enrolled = await hub.EnrollAsync("gate-9");

        Assert.Equal(RotatingCode.KeyLength, Convert.FromBase64String(enrolled.RotatingCodeKey!).Length);
    }

    private static async Task<PassResponse> IssuePassAsync(HubHarness hub)
    {
        HttpResponseMessage response = await hub.Http.PostAsJsonAsync("/api/passes", new { orderCode = "PX-1" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<PassResponse>())!;
    }
}
