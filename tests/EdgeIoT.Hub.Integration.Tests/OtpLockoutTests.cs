using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeIoT.Hub.Integration.Tests;

public sealed class OtpLockoutTests
{
    private const string Phone = "+4915112345678";

    [Fact]
    [Trait("Category", "Security")]
    public async Task WalkinCode_FiveWrongCodes_LockOutEvenTheRightCode()
    {
        await using HubProcess hub = await HubProcess.StartAsync();
        HttpResponseMessage requested = await hub.Http.PostAsJsonAsync("/api/walkins/otp", new { phone = Phone });
        string code = ReadSentCode(hub);
        string wrong = ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6");

        var statuses = new List<HttpStatusCode>();
        for (int attempt = 0; attempt < 5; attempt++)
        {
            statuses.Add((await VerifyAsync(hub, wrong)).StatusCode);
        }

        HttpResponseMessage right = await VerifyAsync(hub, code);
        HttpResponseMessage again = await hub.Http.PostAsJsonAsync("/api/walkins/otp", new { phone = Phone });

        Assert.Equal(HttpStatusCode.Accepted, requested.StatusCode);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 4), statuses.Take(4));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[4]);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
    }

    private static Task<HttpResponseMessage> VerifyAsync(HubProcess hub, string code) =>
        hub.Http.PostAsJsonAsync("/api/walkins/verify", new { phone = Phone, code, spendLimitMinor = 1000 });

    private static string ReadSentCode(HubProcess hub)
    {
        // The default SMS sender appends one JSON line per code to the data directory's outbox file.
        string line = File.ReadLines(Path.Combine(hub.DataDirectory, "sms-outbox.jsonl")).Last();
        using JsonDocument sent = JsonDocument.Parse(line);
        return sent.RootElement.GetProperty("code").GetString()!;
    }
}
