using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace EdgeIoT.EndToEnd.Tests.Chaos;

/// <summary>The hub's guest-facing HTTP API as the chaos test uses it: guest list, tokens, walk-ins.</summary>
internal sealed class GuestDesk(HttpClient hubApi, string hubDirectory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private int _nextGuest = 1;
    private int _nextPhone = 1;

    /// <summary>A token as the hub issued it.</summary>
    public sealed record IssuedToken(string Token, uint EntitlementId);

    public static string OrderCode(int guest) => "CH-" + guest.ToString("D6", CultureInfo.InvariantCulture);

    public async Task ImportAsync(int guests)
    {
        var csv = new StringBuilder("Order Code,Attendee Name,Email,Ticket Type,Tier,Payment Status,Seat,Zone\r\n");
        for (int guest = 1; guest <= guests; guest++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{OrderCode(guest)},Guest {guest},guest{guest}@example.test,General Admission,standard,paid,,1\r\n");
        }

        using var content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv");
        using HttpResponseMessage response = await hubApi.PostAsync("/api/entitlements/import", content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Checks in the next <paramref name="count"/> guests of the list, a few requests at a time.</summary>
    public async Task<IReadOnlyList<IssuedToken>> CheckInNextAsync(int count)
    {
        int first = _nextGuest;
        _nextGuest += count;
        var tokens = new IssuedToken[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, cancellationToken) =>
        {
            using HttpResponseMessage response = await hubApi.PostAsJsonAsync(
                "/api/checkin", new { orderCode = OrderCode(first + i) }, Json, cancellationToken);
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            Assert.True(response.IsSuccessStatusCode, body);
            tokens[i] = Read(body);
        });

        return tokens;
    }

    /// <summary>Registers a walk-in with a one-time code and returns its spend-limited token.</summary>
    public async Task<IssuedToken> WalkInAsync(long spendLimitMinor)
    {
        string phone = "+4915550" + (_nextPhone++).ToString("D6", CultureInfo.InvariantCulture);
        using (HttpResponseMessage requested = await hubApi.PostAsJsonAsync("/api/walkins/otp", new { phone }, Json))
        {
            Assert.True(requested.IsSuccessStatusCode, await requested.Content.ReadAsStringAsync());
        }

        string code = await ReadCodeAsync(phone);
        using HttpResponseMessage verified = await hubApi.PostAsJsonAsync(
            "/api/walkins/verify", new { phone, code, spendLimitMinor }, Json);
        string body = await verified.Content.ReadAsStringAsync();
        Assert.True(verified.IsSuccessStatusCode, body);
        return Read(body);
    }

    private static IssuedToken Read(string body)
    {
        using JsonDocument document = JsonDocument.Parse(body);
        return new IssuedToken(
            document.RootElement.GetProperty("token").GetString()!,
            document.RootElement.GetProperty("entitlementId").GetUInt32());
    }

    /// <summary>Reads the code the hub's file SMS gateway wrote for the phone before it answered.</summary>
    private async Task<string> ReadCodeAsync(string phone)
    {
        string outbox = Path.Combine(hubDirectory, "sms-outbox.jsonl");
        foreach (string line in (await File.ReadAllLinesAsync(outbox)).Reverse())
        {
            using JsonDocument document = JsonDocument.Parse(line);
            if (document.RootElement.GetProperty("phone").GetString() == phone)
            {
                return document.RootElement.GetProperty("code").GetString()!;
            }
        }

        throw new InvalidOperationException($"No one-time code for {phone} in {outbox}.");
    }
}
