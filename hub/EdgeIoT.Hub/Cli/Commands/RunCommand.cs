using System.CommandLine;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;
using Microsoft.Data.Sqlite;

namespace EdgeIoT.Hub.Cli.Commands;

/// <summary>run: the hub itself, until Ctrl+C or SIGTERM.</summary>
public static class RunCommand
{
    public static Command Create(Option<DirectoryInfo?> data)
    {
        var run = new Command("run", "Run the hub: MQTT broker, HTTP API, online checks and ledger sync.") { data };
        run.TreatUnmatchedTokensAsErrors = false;
        run.SetAction(async (parseResult, cancellationToken) =>
        {
            DirectoryInfo? directory = parseResult.GetValue(data);
            await using WebApplication app = HubApp.Build(
                [.. parseResult.UnmatchedTokens],
                options => options.DataDirectory = directory?.FullName ?? options.DataDirectory);
            HubOptions hubOptions = app.Services.GetRequiredService<HubOptions>();

            // Checked before the host starts, so a second hub on the folder or a damaged hub.db
            // prints one line that names the folder or file, not the host's start failure.
            DataDirectoryLock.RequireFree(hubOptions.DataDirectory);
            try
            {
                StoredKeyCheck.RequireDecryptable(app.Services.GetRequiredService<KeyEncryption>(), hubOptions.DatabasePath);
            }
            catch (SqliteException exception) when (HubDatabase.IsDamaged(exception))
            {
                throw HubSettingsBinder.DamagedDatabase(hubOptions.DatabasePath, exception);
            }

            PortCheck.RequireFree(hubOptions);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return run;
    }
}
