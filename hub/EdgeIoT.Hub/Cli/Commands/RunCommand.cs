using System.CommandLine;
using EdgeIoT.Hub.Keys;
using EdgeIoT.Hub.Options;

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

            // Checked before the host starts, so a second hub on the folder prints one line, not the host's start failure.
            DataDirectoryLock.RequireFree(hubOptions.DataDirectory);
            StoredKeyCheck.RequireDecryptable(app.Services.GetRequiredService<KeyEncryption>(), hubOptions.DatabasePath);
            PortCheck.RequireFree(hubOptions);
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return run;
    }
}
