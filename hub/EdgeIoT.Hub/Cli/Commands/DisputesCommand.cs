using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeIoT.Hub.Api;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>disputes: lists the conflicts the central ledger found for this hub, such as a ticket admitted twice offline.</summary>
public static class DisputesCommand
{
    public static Command Create(CommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        var ledger = new Option<string?>("--ledger")
        {
            Description = "Base URL of the central ledger; default the hub's Hub:Ledger:BaseUrl.",
        };
        var disputes = common.AddTo(new Command("disputes",
            "List the disputes the central ledger found for this hub's events.") { ledger });
        CliRunner.SetAction(disputes, async (parseResult, cancellationToken) =>
        {
            using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
            StatusResponse status = await StatusCommand.ReadAsync(target, cancellationToken);
            string ledgerUrl = parseResult.GetValue(ledger) ?? status.LedgerUrl
                ?? throw new CliException("The hub does not report its ledger URL; pass --ledger URL.");
            if (!Uri.TryCreate(ledgerUrl.TrimEnd('/') + "/", UriKind.Absolute, out Uri? baseUrl)
                || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            {
                throw new CliException($"Ledger URL '{ledgerUrl}' is not an absolute http:// or https:// URL.");
            }

            List<JsonElement> found = await FetchAsync(baseUrl, status.HubId ?? status.Venue, cancellationToken);
            Print(found, parseResult.GetValue(common.Json));
            return 0;
        });
        return disputes;
    }

    private static async Task<List<JsonElement>> FetchAsync(Uri baseUrl, string hubId, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        string path = $"v1/disputes?hubId={Uri.EscapeDataString(hubId)}";
        try
        {
            return await http.GetFromJsonAsync<List<JsonElement>>(path, cancellationToken) ?? [];
        }
        catch (HttpRequestException exception)
        {
            throw new CliException($"The ledger at {baseUrl} did not respond to GET /{path}: {exception.Message}", exception);
        }
        catch (JsonException exception)
        {
            throw new CliException($"The ledger's response to /{path} is not a JSON list of disputes: {exception.Message}", exception);
        }
    }

    private static void Print(List<JsonElement> disputes, bool json)
    {
        if (json)
        {
            CliOutput.Json(disputes);
            return;
        }

        Console.WriteLine(disputes.Count == 0 ? "No disputes." : $"{disputes.Count} dispute(s):");
        foreach (JsonElement dispute in disputes)
        {
            string kind = Text(dispute, "kind");
            string entitlement = Text(dispute, "entitlementId");
            string devices = dispute.TryGetProperty("deviceIds", out JsonElement ids)
                ? string.Join(", ", ids.EnumerateArray().Select(id => id.GetString()))
                : "-";
            Console.WriteLine($"  {kind,-18} entitlement {entitlement,-8} devices {devices}: {Text(dispute, "detail")}");
        }
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : "-";
}
