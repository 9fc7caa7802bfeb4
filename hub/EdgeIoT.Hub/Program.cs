using System.CommandLine;
using System.Text.Json;
using EdgeIoT.Hub;
using EdgeIoT.Hub.Import;
using EdgeIoT.Hub.Mqtt;
using EdgeIoT.Hub.Storage;

var dataOption = new Option<DirectoryInfo?>("--data")
{
    Description = "Data directory for hub.db, keys, the endpoints file and the SMS outbox; overrides Hub:DataDirectory.",
};

var run = new Command("run", "Run the hub: MQTT broker, HTTP API, online checks and ledger sync.") { dataOption };
run.TreatUnmatchedTokensAsErrors = false;
run.SetAction(async (parseResult, cancellationToken) =>
{
    DirectoryInfo? data = parseResult.GetValue(dataOption);
    await using WebApplication app = HubApp.Build(
        [.. parseResult.UnmatchedTokens],
        options => options.DataDirectory = data?.FullName ?? options.DataDirectory);
    await app.RunAsync(cancellationToken);
    return 0;
});

var csvArgument = new Argument<FileInfo>("csv") { Description = "Guest list CSV in the ticketing export layout." };
csvArgument.AcceptExistingOnly();
var import = new Command("import", "Import a guest CSV into the hub database; a running hub publishes it on restart.")
{
    csvArgument,
    dataOption,
};
import.TreatUnmatchedTokensAsErrors = false;
import.SetAction(async (parseResult, cancellationToken) =>
{
    FileInfo csv = parseResult.GetRequiredValue(csvArgument);
    DirectoryInfo? data = parseResult.GetValue(dataOption);
    await using WebApplication app = HubApp.Build(
        [.. parseResult.UnmatchedTokens],
        options => options.DataDirectory = data?.FullName ?? options.DataDirectory);
    app.Services.GetRequiredService<HubDatabase>().Migrate();
    try
    {
        string text = await File.ReadAllTextAsync(csv.FullName, cancellationToken);
        ImportResult result = app.Services.GetRequiredService<GuestImporter>().Import(text);
        Console.WriteLine(JsonSerializer.Serialize(result, JsonSerializerOptions.Web));
        return result.Rejected.Count == 0 ? 0 : 1;
    }
    catch (FormatException exception)
    {
        await Console.Error.WriteLineAsync($"{csv.FullName}: {exception.Message}");
        return 2;
    }
    catch (ImportRejectedException exception)
    {
        await Console.Error.WriteLineAsync(exception.Message);
        return 3;
    }
});

var root = new RootCommand("EdgeIoT venue hub.") { run, import, MosquittoAuthCommand.Create(dataOption) };
return await root.Parse(args).InvokeAsync();
