using System.CommandLine;
using EdgeIoT.Simulator.Guests;
using EdgeIoT.Simulator.Orchestration;

namespace EdgeIoT.Simulator.Commands;

/// <summary>Command line of the simulator: `simulate` (the default) and `generate-guests`.</summary>
public static class SimulatorCommands
{
    public static RootCommand Build()
    {
        var root = new RootCommand("EdgeIoT simulator: rehearse a whole pop-up event on one machine.");
        var simulate = new Command("simulate", "Run a whole simulated event and write report.json and report.html.");
        AddSimulateOptions(simulate);
        root.Subcommands.Add(simulate);
        root.Subcommands.Add(BuildGenerateGuests());

        // Running with no command runs the default event.
        AddSimulateOptions(root);
        return root;
    }

    private static void AddSimulateOptions(Command command)
    {
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Folder for the SQLite files, logs and the report (created; emptied if it holds an earlier run).",
            DefaultValueFactory = _ => new DirectoryInfo("event-data"),
        };
        var guests = new Option<FileInfo>("--guests")
        {
            Description = "Guest list CSV in the ticketing-export layout (default: the shipped 3,000-guest sample).",
            DefaultValueFactory = _ => new FileInfo(Path.Combine(AppContext.BaseDirectory, "data", "guests.csv")),
        };
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 42 };
        var agents = new Option<int>("--agents") { Description = "Raspberry Pi agent lanes.", DefaultValueFactory = _ => 3 };
        var firmware = new Option<int>("--esp32") { Description = "ESP32 turnstile lanes.", DefaultValueFactory = _ => 2 };
        var arriving = new Option<int>("--arriving")
        {
            Description = "Guests of the list who arrive (0 = all).",
            DefaultValueFactory = _ => 0,
        };
        var window = new Option<int>("--window-seconds")
        {
            Description = "Length of the arrival window in seconds.",
            DefaultValueFactory = _ => 75,
        };
        var rush = new Option<double>("--rush")
        {
            Description = "Arrival rate during the rush as a multiple of the base rate.",
            DefaultValueFactory = _ => 10,
        };

        RequireAtLeast(agents, 0);
        RequireAtLeast(firmware, 0);
        RequireAtLeast(arriving, 0);
        RequireAtLeast(window, 5);
        rush.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() < 1)
            {
                result.AddError($"--rush {result.GetValueOrDefault<double>()} is invalid: the rush rate is at least 1 times the base rate.");
            }
        });

        foreach (Option option in new Option[] { data, guests, seed, agents, firmware, arriving, window, rush })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (parseResult.GetValue(agents) + parseResult.GetValue(firmware) == 0)
            {
                await Console.Error.WriteLineAsync("--agents and --esp32 are both 0: the event needs at least one lane.");
                return 2;
            }

            var options = new ScenarioOptions
            {
                Seed = parseResult.GetValue(seed),
                GuestListFile = parseResult.GetValue(guests)!.FullName,
                DataDirectory = parseResult.GetValue(data)!.FullName,
                PolicyFile = Path.Combine(AppContext.BaseDirectory, "data", "policies", "venue-default.json"),
                AgentLanes = parseResult.GetValue(agents),
                FirmwareLanes = parseResult.GetValue(firmware),
                ArrivingGuests = parseResult.GetValue(arriving),
                ArrivalWindow = TimeSpan.FromSeconds(parseResult.GetValue(window)),
                RushFactor = parseResult.GetValue(rush),
            };
            return await SimulateCommand.RunAsync(options, cancellationToken);
        });
    }

    private static void RequireAtLeast(Option<int> option, int minimum) =>
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < minimum)
            {
                result.AddError($"{option.Name} {value} is invalid: use {minimum} or more.");
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
        var command = new Command("generate-guests", "Write a synthetic guest list (invented names, no personal data).")
        {
            count, seed, output,
        };
        command.SetAction(parseResult =>
        {
            FileInfo file = parseResult.GetValue(output)!;
            File.WriteAllText(file.FullName, GuestListGenerator.Generate(parseResult.GetValue(count), parseResult.GetValue(seed)));
            Console.WriteLine($"Wrote {parseResult.GetValue(count)} guests to {file.FullName}");
            return 0;
        });
        return command;
    }
}
