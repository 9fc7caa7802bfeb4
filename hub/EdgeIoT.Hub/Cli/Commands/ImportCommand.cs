using System.CommandLine;
using System.Text.Json;
using EdgeIoT.Hub.Import;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>
/// import: loads a guest CSV through the running hub's API, or into hub.db while the hub is
/// stopped. Exit code 0 when every row loaded, 1 when rows were rejected, 2 for an unusable file,
/// 3 when the import was refused because the snapshot would be implausibly small.
/// </summary>
public static class ImportCommand
{
    public const int RowsRejected = 1;
    public const int FileUnusable = 2;
    public const int Refused = 3;

    public static Command Create(CommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        var csvArgument = new Argument<FileInfo>("csv") { Description = "Guest list CSV in the ticketing export layout." };
        csvArgument.Validators.Add(result =>
        {
            // The full path shows which folder a relative path was looked up in.
            if (result.Tokens is [{ Value: var path }] && Directory.Exists(path))
            {
                result.AddError(
                    $"'{Path.GetFullPath(path)}' is a directory: give the guest list CSV file, such as simulators/data/guests.csv.");
            }
            else if (result.Tokens is [{ Value: var missing }] && !File.Exists(missing))
            {
                result.AddError($"Guest list '{Path.GetFullPath(missing)}' was not found: check the path of the CSV file.");
            }
        });
        var import = common.AddTo(new Command("import",
            "Import a guest CSV: through the running hub, which republishes the snapshot, or into hub.db when it is stopped. A stopped hub takes settings as --Hub:Key=value.")
        {
            csvArgument,
        });
        import.TreatUnmatchedTokensAsErrors = false;
        CliRunner.SetAction(import, async (parseResult, cancellationToken) =>
        {
            FileInfo csv = parseResult.GetRequiredValue(csvArgument);
            string text = await File.ReadAllTextAsync(csv.FullName, cancellationToken);
            using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
            bool json = parseResult.GetValue(common.Json);
            return target.Api is HubApiClient api
                ? await ImportOnlineAsync(api, csv, text, json, cancellationToken)
                : await ImportOfflineAsync(target.DataDirectory, csv, text, json, [.. parseResult.UnmatchedTokens]);
        });
        return import;
    }

    private static async Task<int> ImportOnlineAsync(
        HubApiClient api, FileInfo csv, string text, bool json, CancellationToken cancellationToken)
    {
        using var content = new StringContent(text, System.Text.Encoding.UTF8, "text/csv");
        (int status, string body) = await api.PostRawAsync("/api/entitlements/import", content, cancellationToken);
        switch (status)
        {
            case 200:
                ImportResult result = JsonSerializer.Deserialize<ImportResult>(body, JsonSerializerOptions.Web)
                    ?? throw new CliException("The hub responded to the import with an empty body.");
                return Print(result, csv, json);
            case 400:
                await Console.Error.WriteLineAsync($"{csv.FullName}: {HubApiClient.ProblemDetail(body)}");
                return FileUnusable;
            case 422:
                await Console.Error.WriteLineAsync(HubApiClient.ProblemDetail(body));
                return Refused;
            default:
                throw new CliException($"The hub responded to the import with HTTP {status}: {HubApiClient.ProblemDetail(body)}");
        }
    }

    private static async Task<int> ImportOfflineAsync(
        string dataDirectory, FileInfo csv, string text, bool json, string[] settings)
    {
        await using OfflineHub hub = OfflineHub.Open(dataDirectory, create: false, settings);
        try
        {
            return Print(hub.Get<GuestImporter>().Import(text), csv, json);
        }
        catch (FormatException exception)
        {
            await Console.Error.WriteLineAsync($"{csv.FullName}: {exception.Message}");
            return FileUnusable;
        }
        catch (ImportRejectedException exception)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return Refused;
        }
    }

    /// <summary>Prints the result as JSON or as lines for the operator, and returns the exit code.</summary>
    private static int Print(ImportResult result, FileInfo csv, bool json)
    {
        if (json)
        {
            CliOutput.Json(result);
        }
        else
        {
            Console.WriteLine(
                $"Imported {result.Imported} entitlements from {csv.FullName}; snapshot version {result.SnapshotVersion}.");
            if (result.Rejected.Count > 0)
            {
                Console.WriteLine($"Rejected {result.Rejected.Count} row(s):");
                foreach (ImportRowError row in result.Rejected)
                {
                    Console.WriteLine($"  row {row.Row}, {row.Column} '{row.Value}': {row.Message}");
                }
            }
        }

        return result.Rejected.Count == 0 ? 0 : RowsRejected;
    }
}
