using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeIoT.Hub.Tests;

public sealed class GuestImportTests
{
    [Fact]
    public async Task Import_BrokenRows_ReportedAndRestLoaded()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        string csv = TestData.Guests(
            "PX-1,\"Guren, Sazan\",sazan@example.test,General Admission,standard,paid,,1",
            "PX-2,Zepel Qutor,zepel@example.test,VIP Lounge,gold,paid,V5,2",
            "PX-3,\"Mira \"\"Mo\"\" Tan\",mira@example.test,Weekend Pass,member,paid,,0",
            "PX-4,Sapel Rozan,sapel@example.test,General Admission,standard,paid,,300",
            "PX-5,Tor Lin,tor@example.test,Creator,vip,complimentary,,");

        HttpResponseMessage response = await hub.ImportAsync(csv);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, body.GetProperty("imported").GetInt32());
        Assert.Equal(1u, body.GetProperty("snapshotVersion").GetUInt32());
        JsonElement[] rejected = body.GetProperty("rejected").EnumerateArray().ToArray();
        Assert.Equal(2, rejected.Length);
        Assert.Equal(3, rejected[0].GetProperty("row").GetInt32());
        Assert.Equal("Tier", rejected[0].GetProperty("column").GetString());
        Assert.Equal("gold", rejected[0].GetProperty("value").GetString());
        Assert.Equal(5, rejected[1].GetProperty("row").GetInt32());
        Assert.Equal("Zone", rejected[1].GetProperty("column").GetString());
        Assert.Equal("300", rejected[1].GetProperty("value").GetString());
    }

    [Fact]
    public async Task Import_FieldsBeyondHeader_RowRejected()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        string csv = TestData.Guests(
            "PX-1,Guren Sazan,sazan@example.test,General Admission,standard,paid,A,12,1",
            "PX-2,Zepel Qutor,zepel@example.test,VIP Lounge,vip,paid,V5,2,,");

        HttpResponseMessage response = await hub.ImportAsync(csv);
        JsonElement body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, body.GetProperty("imported").GetInt32());
        JsonElement rejected = Assert.Single(body.GetProperty("rejected").EnumerateArray());
        Assert.Equal(2, rejected.GetProperty("row").GetInt32());
        Assert.Equal("field 9", rejected.GetProperty("column").GetString());
        Assert.Equal("1", rejected.GetProperty("value").GetString());
        Assert.Contains("header has 8", rejected.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_QuotedFields_KeptIntact()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests("PX-3,\"Mira \"\"Mo\"\", Tan\",mira@example.test,Weekend Pass,member,paid,,0"));

        HttpResponseMessage checkin = await hub.Http.PostAsJsonAsync("/api/checkin", new { orderCode = "PX-3" });
        var store = hub.App.Services.GetService(typeof(Storage.EntitlementStore)) as Storage.EntitlementStore;

        Assert.Equal(HttpStatusCode.OK, checkin.StatusCode);
        Assert.Equal("Mira \"Mo\", Tan", store!.FindByOrderCode("PX-3")!.AttendeeName);
        Assert.False(store.FindByOrderCode("PX-3")!.SingleEntry);
    }

    [Fact]
    public async Task Import_OnlyBrokenRows_Rejected()
    {
        await using HubHarness hub = await HubHarness.StartAsync();

        HttpResponseMessage response = await hub.ImportAsync(
            TestData.Guests("PX-1,Guren Sazan,sazan@example.test,General Admission,platinum,paid,,1"));
        JsonElement status = await hub.Http.GetFromJsonAsync<JsonElement>("/api/status");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("fewer than 1 entitlement", await response.Content.ReadAsStringAsync());
        Assert.Equal(0u, status.GetProperty("snapshotVersion").GetUInt32());
    }

    [Fact]
    public async Task Import_HeaderOnly_Rejected()
    {
        await using HubHarness hub = await HubHarness.StartAsync();

        HttpResponseMessage response = await hub.ImportAsync(TestData.Header + "\r\n");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Import_MissingColumn_BadRequestNamingIt()
    {
        await using HubHarness hub = await HubHarness.StartAsync();

        HttpResponseMessage response = await hub.ImportAsync("Order Code,Attendee Name\r\nPX-1,Guren\r\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Payment Status", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Import_Repeated_KeepsEntitlementIds()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests(
            "PX-1,A One,a@example.test,General Admission,standard,paid,,1",
            "PX-2,B Two,b@example.test,General Admission,standard,paid,,1"));

        HttpResponseMessage second = await hub.ImportAsync(TestData.Guests(
            "PX-9,C Nine,c@example.test,General Admission,standard,paid,,1",
            "PX-2,B Two,b@example.test,VIP Lounge,vip,paid,,2"));
        var store = (Storage.EntitlementStore)hub.App.Services.GetService(typeof(Storage.EntitlementStore))!;

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1u, store.FindByOrderCode("PX-1")!.Id);
        Assert.Equal(2u, store.FindByOrderCode("PX-2")!.Id);
        Assert.Equal(3u, store.FindByOrderCode("PX-9")!.Id);
        Assert.Equal(Firmware.Snapshot.MembershipTier.Vip, store.FindByOrderCode("PX-2")!.Tier);
    }

    [Fact]
    public async Task Entitlements_AfterImport_ListedWithRoles()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests(
            "PX-1,A One,a@example.test,General Admission,standard,paid,,1",
            "PX-5,Tor Lin,tor@example.test,Creator,vip,refunded,,0"));

        JsonElement[] list = (await hub.Http.GetFromJsonAsync<JsonElement[]>("/api/entitlements"))!;

        Assert.Equal(2, list.Length);
        Assert.Equal("PX-1", list[0].GetProperty("orderCode").GetString());
        Assert.Equal("guest", list[0].GetProperty("role").GetString());
        Assert.True(list[0].GetProperty("singleEntry").GetBoolean());
        Assert.Equal(2u, list[1].GetProperty("entitlementId").GetUInt32());
        Assert.Equal("creator", list[1].GetProperty("role").GetString());
        Assert.Equal("vip", list[1].GetProperty("tier").GetString());
        Assert.Equal("refunded", list[1].GetProperty("paymentStatus").GetString());
        Assert.True(list[1].GetProperty("cancelled").GetBoolean());
    }

    [Fact]
    public async Task Checkin_InvalidJson_BadRequestWithDetail()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        using var body = new StringContent("{\"orderCode\":", System.Text.Encoding.UTF8, "application/json");

        HttpResponseMessage response = await hub.Http.PostAsync("/api/checkin", body);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("JSON", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Checkin_UnknownOrCancelled_404And409()
    {
        await using HubHarness hub = await HubHarness.StartAsync();
        await hub.ImportAsync(TestData.Guests(
            "PX-1,A One,a@example.test,General Admission,standard,refunded,,1",
            "PX-2,B Two,b@example.test,General Admission,standard,paid,,1"));

        HttpResponseMessage unknown = await hub.Http.PostAsJsonAsync("/api/checkin", new { orderCode = "PX-404" });
        HttpResponseMessage cancelled = await hub.Http.PostAsJsonAsync("/api/checkin", new { orderCode = "PX-1" });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("PX-404", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, cancelled.StatusCode);
    }
}
