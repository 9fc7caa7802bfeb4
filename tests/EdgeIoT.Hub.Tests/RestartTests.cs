using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.Hub.Api;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.Hub.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Restart_AdmittedTicket_StaysAdmittedAndKeysSurvive()
    {
        string token;
        string rootKey;
        string directory;
        await using (HubHarness first = await HubHarness.StartAsync())
        {
            first.KeepData = true;
            directory = first.DataDirectory;
            await first.ImportAsync(TestData.Guests("PX-1,A One,a@example.test,General Admission,standard,paid,,0"));
            HttpResponseMessage checkin = await first.Http.PostAsJsonAsync("/api/checkin", new { orderCode = "PX-1" });
            token = (await checkin.Content.ReadFromJsonAsync<TokenResponse>())!.Token;
            CheckClient gate = await CheckClient.ConnectAsync(first, "gate-1");
            Assert.Equal("admit", (await gate.CheckAsync(token)).Outcome);
            rootKey = first.Endpoints.RootPublicKey;
        }

        await using HubHarness second = await HubHarness.StartAsync(dataDirectory: directory);
        CheckClient again = await CheckClient.ConnectAsync(second, "gate-2");
        CheckResponse response = await again.CheckAsync(token);
        JsonElement status = await second.Http.GetFromJsonAsync<JsonElement>("/api/status");

        Assert.Equal("already_admitted", response.Reason);
        Assert.Equal(rootKey, second.Endpoints.RootPublicKey);
        Assert.Equal(1u, status.GetProperty("snapshotVersion").GetUInt32());
        Assert.True(status.GetProperty("keyListVersion").GetUInt32() >= 2);
    }
}
