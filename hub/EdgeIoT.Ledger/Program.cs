using System.CommandLine;
using EdgeIoT.Ledger;

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

    WebApplication app;
    try
    {
        // Tokens this parser does not know, such as --Ledger:MaxBatchEvents=1000, go to configuration.
        app = LedgerApp.Build([.. parseResult.UnmatchedTokens], Configure);
    }
    catch (LedgerConfigurationException ex)
    {
        await Console.Error.WriteLineAsync("Invalid configuration: " + ex.Message);
        return 2;
    }

    await using (app)
    {
        try
        {
            await app.RunAsync(cancellationToken);
        }
        catch (System.Data.Common.DbException ex)
        {
            await Console.Error.WriteLineAsync(
                "Could not open or migrate the ledger database; check Ledger:Store and its connection settings. "
                + ex.Message);
            return 3;
        }
    }

    return 0;
});

return await root.Parse(args).InvokeAsync();
