using System.Net;
using System.Net.Http.Json;
using EdgeIoT.Firmware.Nfc;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hub.Api;
using EdgeIoT.Protocol.Crypto;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Tests;

/// <summary>Wristband credentials from POST /api/wristbands, checked online and offline.</summary>
public sealed class WristbandApiTests
{
    private const string BoundUid = "04A22B6A3C5880";

    [Fact]
    public async Task Wristband_BoundUid_AdmittedByOnlineCheck()
    {
        await using HubHarness hub = await HubHarness.StartWithGuestAsync();
        WristbandResponse wristband = await IssueAsync(hub, "04:a2:2b:6a:3c:58:80");
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");

        CheckResponse response = await gate.CheckAsync(TextOf(wristband), chipUid: BoundUid);

        Assert.Equal("admit", response.Outcome);
        Assert.Equal(1u, wristband.EntitlementId);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task Wristband_OtherChipOrNoChip_DeniedAsUidMismatch()
    {
        await using HubHarness hub = await HubHarness.StartWithGuestAsync();
        WristbandResponse wristband = await IssueAsync(hub, BoundUid);
        CheckClient gate = await CheckClient.ConnectAsync(hub, "gate-1");

        CheckResponse copy = await gate.CheckAsync(TextOf(wristband), chipUid: "045E910A771280");
        CheckResponse fromQr = await gate.CheckAsync(TextOf(wristband));

        Assert.Equal("deny", copy.Outcome);
        Assert.Equal("uid_mismatch", copy.Reason);
        Assert.Equal("uid_mismatch", fromQr.Reason);
    }

    [Fact]
    public async Task Wristband_TagData_VerifiesOfflineAndFitsNtag213()
    {
        await using HubHarness hub = await HubHarness.StartWithGuestAsync();
        WristbandResponse wristband = await IssueAsync(hub, BoundUid);
        TokenVerifier verifier = await hub.FetchVerifierAsync();
        byte[] tagData = Convert.FromBase64String(wristband.TagData);

        byte[]? credential = NdefToken.TryParseTagData(tagData, out string? error);
        VerifyResult result = verifier.Verify(
            credential, Convert.FromHexString(BoundUid), (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            clockReliable: true, gateZone: 0, revocations: null, seen: null);

        Assert.Null(error);
        Assert.Equal(Convert.FromBase64String(wristband.Credential), credential);
        Assert.Equal(RejectReason.None, result.Reason);
        Assert.Equal(TokenType.Wristband, result.Claims.Type);
        Assert.True(tagData.Length <= NdefToken.Ntag213UserBytes);
    }

    [Theory]
    [InlineData("04A22B6A3C58")]
    [InlineData("04A22B6A3C5880FF")]
    [InlineData("04A22B6A3C58ZZ")]
    public async Task Wristband_InvalidUid_BadRequestNamingValue(string uid)
    {
        await using HubHarness hub = await HubHarness.StartWithGuestAsync();

        HttpResponseMessage response = await hub.Http.PostAsJsonAsync("/api/wristbands", new { orderCode = "PX-1", uid });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(uid, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wristband_UnknownOrderCode_NotFoundNamingCode()
    {
        await using HubHarness hub = await HubHarness.StartWithGuestAsync();

        HttpResponseMessage response = await hub.Http.PostAsJsonAsync("/api/wristbands", new { orderCode = "NOPE-1", uid = BoundUid });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("NOPE-1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "Security")]
    public async Task Wristband_WithoutOperatorToken_Unauthorized()
    {
        await using HubHarness hub = await HubHarness.StartWithGuestAsync();
        using var anonymous = new HttpClient { BaseAddress = hub.Http.BaseAddress };

        HttpResponseMessage response = await anonymous.PostAsJsonAsync("/api/wristbands", new { orderCode = "PX-1", uid = BoundUid });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static string TextOf(WristbandResponse wristband) =>
        QrText.Encode(Convert.FromBase64String(wristband.Credential));

    private static async Task<WristbandResponse> IssueAsync(HubHarness hub, string uid)
    {
        HttpResponseMessage response = await hub.Http.PostAsJsonAsync("/api/wristbands", new { orderCode = "PX-1", uid });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<WristbandResponse>())!;
    }
}
