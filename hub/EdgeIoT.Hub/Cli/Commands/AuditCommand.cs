using System.CommandLine;
using EdgeIoT.Hub.Audit;
using EdgeIoT.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>audit verify: checks the audit chain and names the first altered or removed entry.</summary>
public static class AuditCommand
{
    public static Command Create(CommonOptions common)
    {
        ArgumentNullException.ThrowIfNull(common);

        var verify = common.AddTo(new Command("verify",
            "Check the audit hash chain; exit code 1 names the first altered or removed entry."));
        CliRunner.SetAction(verify, async (parseResult, cancellationToken) =>
        {
            using HubTarget target = await HubTarget.ResolveAsync(parseResult, common, cancellationToken);
            AuditVerification result = target.Api is HubApiClient api
                ? await api.GetAsync<AuditVerification>("/api/audit/verify", cancellationToken)
                : await VerifyFilesAsync(target.DataDirectory);
            Print(result, parseResult.GetValue(common.Json));
            return result.Valid ? 0 : 1;
        });

        return new Command("audit", "Tamper-evident audit log of decisions, issuance, key and policy changes.") { verify };
    }

    // Reads the chain straight from hub.db: verifying must not append to the log it checks,
    // so the hub's services (which write audit entries when keys load) are not started.
    private static async Task<AuditVerification> VerifyFilesAsync(string dataDirectory)
    {
        string path = Path.Combine(dataDirectory, "hub.db");
        if (!File.Exists(path))
        {
            throw new CliException($"No hub database at {path}; pass the --data directory of the hub to check.");
        }

        await using OfflineHub hub = OfflineHub.Open(dataDirectory, create: false);
        using SqliteConnection connection = hub.Get<HubDatabase>().Open();
        return AuditVerifier.Verify(connection);
    }

    private static void Print(AuditVerification result, bool json)
    {
        if (json)
        {
            CliOutput.Json(result);
            return;
        }

        Console.WriteLine(result.Valid ? $"OK    {result.Detail}" : $"FAIL  {result.Detail}");
        Console.WriteLine($"      entries checked {result.EntriesChecked}, head {result.HeadSeq} {result.HeadHash}");
    }
}
