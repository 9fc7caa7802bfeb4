using System.CommandLine;
using System.Globalization;
using static System.FormattableString;
using EdgeIoT.Simulator.Guests;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Commands;

/// <summary>
/// Command line of the simulator: `simulate` (the default) and `generate-guests`. `simulate`
/// runs a scenario file; the other options, when given, override the file's values.
/// </summary>
public static class SimulatorCommands
{
    public static RootCommand Build()
    {
        var root = new RootCommand("EdgeIoT simulator: rehearse a whole pop-up event on one machine.");
        var simulate = new Command("simulate", "Run a whole simulated event and write report.json and report.html.");
        AddSimulateOptions(simulate);
        root.Subcommands.Add(simulate);
        root.Subcommands.Add(BuildGenerateGuests());

        // Running with no command runs the default scenario.
        AddSimulateOptions(root);
        return root;
    }

    private static void AddSimulateOptions(Command command)
    {
        var scenario = new Option<FileInfo>("--scenario")
        {
            Description = "Scenario file (JSON, see scenarios/schema.json); default: the shipped scenarios/default.json.",
        };
        var shortForm = new Option<bool>("--short")
        {
            Description = "Run the scenario's short form (its \"short\" section), sized for CI.",
        };
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Folder for the SQLite files, logs and the report (created; emptied if it holds an earlier run).",
            DefaultValueFactory = _ => new DirectoryInfo("event-data"),
        };
        var guests = new Option<FileInfo>("--guests")
        {
            Description = "Guest list CSV in the ticketing-export layout (default: the scenario's guest list).",
        };
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice (default: the scenario's)." };
        var agents = new Option<int>("--agents") { Description = "Raspberry Pi agent lanes, replacing the scenario's lanes." };
        var firmware = new Option<int>("--esp32") { Description = "ESP32 turnstile lanes, replacing the scenario's lanes." };
        var arriving = new Option<int>("--arriving")
        {
            Description = "Guests of the list who arrive (0 = all; default: the scenario's).",
        };
        var window = new Option<int>("--window-seconds")
        {
            Description = "Length of the arrival window in seconds (default: the scenario's).",
        };
        var rush = new Option<double>("--rush")
        {
            Description = "Arrival rate during the rush as a multiple of the base rate (default: the scenario's).",
        };

        ParseWholeNumber(seed, int.MinValue);
        ParseWholeNumber(agents, 0);
        ParseWholeNumber(firmware, 0);
        ParseWholeNumber(arriving, 0);
        ParseWholeNumber(window, ScenarioValidator.MinWindowSeconds, ScenarioValidator.MaxWindowSeconds, "seconds");

        ParseNumber(rush);
        RequireAtLeast(agents, 0);
        RequireAtLeast(firmware, 0);
        RequireAtLeast(arriving, 0);
        RequireRange(window, ScenarioValidator.MinWindowSeconds, ScenarioValidator.MaxWindowSeconds, "seconds");
        rush.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1
                && double.TryParse(result.Tokens[0].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
                && value < 1)
            {
                result.AddError($"--rush {value} is invalid: the rush rate is at least 1 times the base rate.");
            }
        });

        foreach (Option option in new Option[] { scenario, shortForm, data, guests, seed, agents, firmware, arriving, window, rush })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, TerminationSignal.Token);
            var overrides = new SimulateOverrides(
                parseResult.GetValue(guests)?.FullName,
                Given(parseResult, seed),
                Given(parseResult, agents),
                Given(parseResult, firmware),
                Given(parseResult, arriving),
                Given(parseResult, window),
                Given(parseResult, rush));
            string file = parseResult.GetValue(scenario)?.FullName ?? ScenarioLoader.DefaultFile;
            return await SimulateCommand.RunAsync(
                file, parseResult.GetValue(shortForm), parseResult.GetValue(data)!.FullName, overrides, stop.Token);
        });
    }

    /// <summary>The option's value when the user typed it, else null.</summary>
    private static T? Given<T>(ParseResult parseResult, Option<T> option)
        where T : struct =>
        parseResult.GetResult(option) is { Implicit: false } ? parseResult.GetValue(option) : null;

    /// <summary>
    /// Replaces the parser's own error, which names the .NET type, with one that names the
    /// option, the value and the range the option accepts.
    /// </summary>
    private static void ParseWholeNumber(Option<int> option, int minimum, int maximum = int.MaxValue, string? unit = null) =>
        option.CustomParser = result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(" ", result.Tokens.Select(t => t.Value));
            if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            {
                return value;
            }

            string kind = unit is null ? "a whole number" : $"a whole number of {unit}";
            string range = minimum > int.MinValue && maximum == int.MaxValue
                ? Invariant($", {minimum} or more")
                : Invariant($" from {minimum} to {maximum}");
            result.AddError($"{option.Name} '{text}' is invalid: use {kind}{range}.");
            return 0;
        };

    private static void ParseNumber(Option<double> option) =>
        option.CustomParser = result =>
        {
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(" ", result.Tokens.Select(t => t.Value));
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
            {
                return value;
            }

            result.AddError($"{option.Name} '{text}' is invalid: use a number such as 2.5.");
            return 0;
        };

    private static void RequireAtLeast(Option<int> option, int minimum) =>
        option.Validators.Add(result =>
        {
            // A value that is no number already carries the parser's own error; reading it
            // here would throw instead of reporting it.
            if (result.Tokens.Count != 1
                || !int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                return;
            }

            if (value < minimum)
            {
                result.AddError($"{option.Name} {value} is invalid: use {minimum} or more.");
            }
        });

    private static void RequireRange(Option<int> option, int minimum, int maximum, string unit) =>
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count != 1
                || !int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
            {
                return;
            }

            if (value < minimum || value > maximum)
            {
                result.AddError(Invariant($"{option.Name} {value} is invalid: use {minimum} to {maximum} {unit}."));
            }
        });

    private static Command BuildGenerateGuests()
    {
        var count = new Option<int>("--count") { Description = "Number of guests.", DefaultValueFactory = _ => 3000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generator.", DefaultValueFactory = _ => 7 };
        var output = new Option<FileInfo>("--output")
        {
            Description = "CSV file to write.",
            Required = true,
        };
        ParseWholeNumber(count, 1);
        ParseWholeNumber(seed, int.MinValue);
        RequireAtLeast(count, 1);
        var command = new Command("generate-guests", "Write a synthetic guest list (invented names, no personal data).")
        {
            count, seed, output,
        };
        command.SetAction(parseResult =>
        {
            FileInfo file = parseResult.GetValue(output)!;
            try
            {
                File.WriteAllText(file.FullName, GuestListGenerator.Generate(parseResult.GetValue(count), parseResult.GetValue(seed)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"Could not write the guest list {file.FullName}: {ex.Message}");
                return 2;
            }

            Console.WriteLine($"Wrote {parseResult.GetValue(count)} guests to {file.FullName}");
            return 0;
        });
        return command;
    }
}
