using System.CommandLine;
using EdgeIoT.Ledger;
using EdgeIoT.Ledger.Hosting;
using EdgeIoT.Protocol.Hosting;
using Microsoft.Extensions.Options;

// Exit code for an unknown option, an invalid setting or a port in use. A database that cannot be opened exits with 3.
const int UsageError = 2;

var urlsOption = new Option<string?>("--urls")
{
    Description = "Listen URLs separated by ';' (default http://127.0.0.1:5090; port 0 picks a free port).",
};
var storeOption = new Option<string?>("--store")
{
    Description = "Store kind: sqlite (default) or postgres. PostgreSQL reads Ledger:Postgres:ConnectionString "
        + "from appsettings.json or the environment variable Ledger__Postgres__ConnectionString.",
};
var sqlitePathOption = new Option<string?>("--sqlite-path")
{
    Description = "Path of the SQLite database file (default ./ledger-data/ledger.db).",
};
var dataDirectoryOption = new Option<string?>("--data-dir")
{
    Description = "Folder of ledger.endpoints.json (default: the folder of the SQLite file).",
};

var root = new RootCommand("EdgeIoT central ledger: stores every edge event exactly once and reports disputes.")
{
    TreatUnmatchedTokensAsErrors = false,
};
root.Options.Add(urlsOption);
root.Options.Add(storeOption);
root.Options.Add(sqlitePathOption);
root.Options.Add(dataDirectoryOption);

root.SetAction(async (parseResult, cancellationToken) =>
{
    void Configure(LedgerOptions options)
    {
        options.Urls = parseResult.GetValue(urlsOption) ?? options.Urls;
        options.Store = parseResult.GetValue(storeOption) ?? options.Store;
        options.Sqlite.Path = parseResult.GetValue(sqlitePathOption) ?? options.Sqlite.Path;
        options.DataDirectory = parseResult.GetValue(dataDirectoryOption) ?? options.DataDirectory;
    }

    // Tokens this parser does not know go to configuration when they are settings such as
    // --Ledger:MaxBatchEvents=1000. Anything else, such as --sqlite-pth, is a mistake.
    if (SettingArguments.FindUnknown(parseResult.UnmatchedTokens) is string unknown)
    {
        await Console.Error.WriteLineAsync(
            $"error: Unrecognized option or argument '{unknown}'. Use --urls, --store, --sqlite-path, --data-dir or "
            + "a setting such as --Ledger:MaxBatchEvents=1000; --help lists them.");
        return UsageError;
    }

    WebApplication app;
    try
    {
        app = LedgerApp.Build([.. parseResult.UnmatchedTokens], Configure);
        StartupCheck.Run(app.Services.GetRequiredService<IOptions<LedgerOptions>>().Value);
    }
    catch (LedgerConfigurationException ex)
    {
        await Console.Error.WriteLineAsync("error: " + ex.Message);
        return UsageError;
    }

    await using (app)
    {
        try
        {
            await app.RunAsync(cancellationToken);
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            // Another process took the port after the check above.
            await Console.Error.WriteLineAsync($"error: Ledger:Urls is unusable: {ex.Message} Stop that process, or pass another port with --urls.");
            return UsageError;
        }
        catch (System.Data.Common.DbException ex)
        {
            await Console.Error.WriteLineAsync(
                "error: Could not open or migrate the ledger database; check Ledger:Store and its connection settings. "
                + ex.Message);
            return 3;
        }
    }

    return 0;
});

SettingsHelp.Use(root, "--Ledger:MaxBatchEvents=1000", "docs/ledger.md");
ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
    {
        // System.CommandLine lists allowed values on indented lines, which are joined into the one error line.
        await Console.Error.WriteLineAsync($"error: {error.Message.ReplaceLineEndings(" ").Replace("\t", string.Empty, StringComparison.Ordinal)}");
    }

    return UsageError;
}

return await parsed.InvokeAsync();
