using System.Text.Json;
using EdgeIoT.Simulator.Logging;
using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Reporting;
using EdgeIoT.Simulator.Scenarios;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace EdgeIoT.Simulator.Commands;

/// <summary>
/// Runs a scenario with a progress display, then prints and writes the report. Exit codes:
/// 0 when every expected outcome held, 1 when one did not (each is named), 2 when the
/// scenario could not be read or the event could not run, 130 when it was interrupted by
/// SIGINT (Ctrl-C) and 143 by SIGTERM. A run stopped by a signal or an error after its lanes
/// started still writes a partial report.
/// </summary>
public static class SimulateCommand
{

    // Wide enough that no report line or path wraps.
    private const int RedirectedOutputWidth = 4096;

    public static async Task<int> RunAsync(
        string scenarioFile, bool shortForm, string dataDirectory, SimulateOverrides overrides,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(overrides);

        ScenarioOptions options;
        try
        {
            options = overrides.Apply(ScenarioLoader.Load(scenarioFile, shortForm, dataDirectory));
            ArrivingGuestsCheck.Check(
                options, overrides.ArrivingGuests is null ? $"Scenario file {scenarioFile}: crowd.arriving" : "--arriving");
        }
        catch (ScenarioException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }

        return await RunAsync(options, cancellationToken);
    }

    public static async Task<int> RunAsync(ScenarioOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!AnsiConsole.Profile.Out.IsTerminal)
        {
            // Spectre assumes 80 columns without a terminal and would hard-wrap long lines such
            // as paths. A file or a CI log has no width, so lines stay whole.
            AnsiConsole.Profile.Width = RedirectedOutputWidth;
        }

        if (!File.Exists(options.GuestListFile))
        {
            await Console.Error.WriteLineAsync($"Guest list {options.GuestListFile} was not found.");
            return 2;
        }

        string logFile = Path.GetFullPath(Path.Combine(options.DataDirectory, "simulation.log"));
        IDisposable folderLock;
        try
        {
            // The data folder is prepared before logging starts, so the log survives the run.
            folderLock = DataDirectory.Prepare(options.DataDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"{OneLine(ex.Message)} No log was written.");
            return 2;
        }

        using (folderLock)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"EdgeIoT simulated event [bold]{options.Name}[/], seed {options.Seed}, data in [blue]{options.DataDirectory}[/]");
            return await RunInFolderAsync(options, logFile, cancellationToken);
        }
    }

    private static async Task<int> RunInFolderAsync(ScenarioOptions options, string logFile, CancellationToken cancellationToken)
    {
        EventReport report;
        try
        {
            report = await RunWithProgressAsync(options, logFile, cancellationToken);
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested)
        {
            // A request cut short by the interrupt may surface as another exception than a
            // cancellation. The log keeps it, and the user still gets the interrupt's one line.
            Exception cause = ex is SimulationStoppedException { InnerException: { } inner } ? inner : ex;
            if (cause is not OperationCanceledException)
            {
                await File.AppendAllTextAsync(logFile, $"Exception during the interrupt: {cause}{Environment.NewLine}", CancellationToken.None);
            }

            // The simulation's using blocks have stopped every lane, the hub and the ledger by now.
            await Console.Error.WriteLineAsync(await InterruptedLineAsync(ex as SimulationStoppedException, options, logFile));
            return TerminationSignal.ExitCode;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The log keeps the exception type and stack for a developer; the console gets one
            // line a pipeline can show as it is.
            Exception cause = ex is SimulationStoppedException { InnerException: { } inner } ? inner : ex;
            await File.AppendAllTextAsync(logFile, $"Simulation failed: {cause}{Environment.NewLine}", CancellationToken.None);
            string partial = ex is SimulationStoppedException stopped
                ? $" Partial report: {await WritePartialReportAsync(stopped.PartialReport, options)}."
                : "";
            await Console.Error.WriteLineAsync($"The simulation could not finish: {OneLine(cause.Message)}{partial} Full log: {logFile}");
            return 2;
        }

        (string jsonFile, string htmlFile) = await WriteReportAsync(report, options);
        ConsoleReport.Print(report);
        AnsiConsole.MarkupLineInterpolated($"Report: [blue]{jsonFile}[/] and [blue]{htmlFile}[/]; log: {logFile}");
        if (!report.Passed)
        {
            // Pipelines read standard error: one line per failed expected outcome.
            foreach (string failure in report.Failures)
            {
                await Console.Error.WriteLineAsync(failure);
            }

            return 1;
        }

        return 0;
    }

    /// <summary>
    /// Writes the partial report of an interrupted run, if the run got far enough to have one,
    /// and returns the one line for standard error that says where the run stopped.
    /// </summary>
    private static async Task<string> InterruptedLineAsync(SimulationStoppedException? stopped, ScenarioOptions options, string logFile)
    {
        if (stopped is null)
        {
            return $"Interrupted before the lanes started: the hub and ledger were stopped and no report was written. Log: {logFile}";
        }

        string files = await WritePartialReportAsync(stopped.PartialReport, options);
        string at = stopped.PartialReport.Interruption!.Describe();
        return $"Interrupted in {at}: the lanes, hub and ledger were stopped. Partial report: {files}; log: {logFile}";
    }

    private static async Task<string> WritePartialReportAsync(EventReport report, ScenarioOptions options)
    {
        (string jsonFile, string htmlFile) = await WriteReportAsync(report, options);
        ConsoleReport.Print(report);
        return $"{jsonFile} and {htmlFile}";
    }

    private static async Task<(string JsonFile, string HtmlFile)> WriteReportAsync(EventReport report, ScenarioOptions options)
    {
        string jsonFile = Path.GetFullPath(Path.Combine(options.DataDirectory, "report.json"));
        string htmlFile = Path.GetFullPath(Path.Combine(options.DataDirectory, "report.html"));

        // The report is written whole even if a further Ctrl-C arrives now.
        await File.WriteAllTextAsync(jsonFile, JsonSerializer.Serialize(report, ReportJson.Default.EventReport), CancellationToken.None);
        await File.WriteAllTextAsync(htmlFile, HtmlReportWriter.Render(report), CancellationToken.None);
        return (jsonFile, htmlFile);
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static async Task<EventReport> RunWithProgressAsync(
        ScenarioOptions options, string logFile, CancellationToken cancellationToken)
    {
        using var fileLog = new FileLoggerProvider(logFile, LogLevel.Information);
        using ILoggerFactory loggers = LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(LogLevel.Information);
            builder.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
            builder.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.AddProvider(fileLog);
        });

        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await new EventSimulation(options, loggers, new PlainProgress(Console.Out)).RunAsync(cancellationToken);
        }

        EventReport? report = null;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var progress = new SpectreProgress(context);
                var simulation = new EventSimulation(options, loggers, progress);
                report = await simulation.RunAsync(cancellationToken);
                progress.Done();
            });
        return report!;
    }
}
