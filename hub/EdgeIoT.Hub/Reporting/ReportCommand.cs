using System.CommandLine;
using System.Text.Json;
using EdgeIoT.Hub.Options;
using EdgeIoT.Hub.Storage;

namespace EdgeIoT.Hub.Reporting;

/// <summary>
/// <c>report</c>: writes the post-event report (HTML with charts, JSON and CSV tables) from a hub
/// data directory. It only reads the database, so it also runs while the hub is up.
/// </summary>
public static class ReportCommand
{
    public const int Success = 0;
    public const int NoDatabase = 2;

    public static Command Create(Option<DirectoryInfo?> dataOption)
    {
        ArgumentNullException.ThrowIfNull(dataOption);

        var output = new Option<DirectoryInfo?>("--out")
        {
            Description = "Folder for report.html, report.json and the CSV files; default {data}/report.",
        };
        var command = new Command("report", "Write the post-event report from the hub database: HTML with charts, JSON and CSV.")
        {
            dataOption,
            output,
        };
        command.SetAction(parseResult => Run(
            parseResult.GetValue(dataOption)?.FullName ?? new HubOptions().DataDirectory,
            parseResult.GetValue(output)?.FullName,
            Console.Out,
            Console.Error));
        return command;
    }

    /// <summary>Writes the report and returns the exit code: 0 when written, 2 when the data directory contains no hub database.</summary>
    public static int Run(string dataDirectory, string? outputDirectory, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var options = new HubOptions { DataDirectory = dataDirectory };
        if (!File.Exists(options.DatabasePath))
        {
            error.WriteLine($"No hub database at {options.DatabasePath}; pass the hub's data directory with --data.");
            return NoDatabase;
        }

        string folder = outputDirectory ?? Path.Combine(dataDirectory, "report");
        Directory.CreateDirectory(folder);
        var database = new HubDatabase(options);
        (string venue, uint eventId) = ReadEvent(dataDirectory, options);

        output.WriteLine($"Reading {options.DatabasePath}");
        PostEventReport report = PostEventReportBuilder.Build(database, new EventQueries(database), venue, eventId, DateTimeOffset.UtcNow);
        File.WriteAllText(Path.Combine(folder, "report.html"), ReportHtmlWriter.Render(report));
        File.WriteAllText(Path.Combine(folder, "report.json"), JsonSerializer.Serialize(report, ReportJson.Options));
        ReportCsvWriter.WriteAll(report, folder);

        ReportTotals totals = report.Totals;
        output.WriteLine(
            $"{totals.Decisions} decisions ({totals.Admitted} admitted, {totals.Denied} denied, {totals.OfflineShare:P1} offline), " +
            $"{report.Lanes.Count} lanes, {report.Disputes.Count} disputes, {report.Payouts.Count} creator payouts");
        output.WriteLine($"Report written to {folder}");
        return Success;
    }

    // The endpoints file names the venue and event of the hub that wrote the data. A data folder
    // copied without it still gets a report, under the default names.
    private static (string Venue, uint EventId) ReadEvent(string dataDirectory, HubOptions options)
    {
        try
        {
            HubEndpoints endpoints = HubEndpoints.Read(dataDirectory);
            return (endpoints.Venue, endpoints.EventId);
        }
        catch (Exception exception) when (exception is IOException or JsonException)
        {
            return (options.Venue, options.EventId);
        }
    }
}
