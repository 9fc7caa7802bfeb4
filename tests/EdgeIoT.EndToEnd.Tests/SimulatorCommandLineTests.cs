using System.CommandLine;
using System.CommandLine.Parsing;
using EdgeIoT.Simulator.Commands;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>The simulator's command line as a user types it.</summary>
public sealed class SimulatorCommandLineTests
{
    [Fact]
    public void Parse_NoArguments_RunsDefaultEvent()
    {
        ParseResult result = SimulatorCommands.Build().Parse([]);

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Action);
    }

    [Theory]
    [InlineData("--agents", "-1")]
    [InlineData("--esp32", "-2")]
    [InlineData("--arriving", "-5")]
    [InlineData("--window-seconds", "0")]
    [InlineData("--rush", "0.5")]
    public void Parse_OutOfRangeValue_ErrorNamesOption(string option, string value)
    {
        ParseResult result = SimulatorCommands.Build().Parse([option, value]);

        ParseError error = Assert.Single(result.Errors);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--seed", "abc")]
    [InlineData("--seed", "99999999999")]
    [InlineData("--agents", "two")]
    [InlineData("--rush", "fast")]
    public void Parse_NotANumber_NamesValue(string option, string value)
    {
        ParseResult result = SimulatorCommands.Build().Parse([option, value]);

        ParseError error = Assert.Single(result.Errors);
        Assert.Contains($"{option} '{value}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ForeignDataFolder_ExitsTwo()
    {
        string folder = Path.Combine(Path.GetTempPath(), "edgeiot-foreign-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "not the simulator's");
        try
        {
            CliRun run = await CliRun.RunAsync(
                Path.Combine("simulators", "EdgeIoT.Simulator"),
                ["--short", "--scenario", Path.Combine(RepositoryPaths.Root, "simulators", "scenarios", "smoke.json"), "--data", folder],
                TimeSpan.FromMinutes(1));

            Assert.Equal(2, run.ExitCode);
            string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"Data folder {folder} is not empty", line, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(folder, "notes.txt")), "the folder was emptied");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task GenerateGuests_UnwritablePath_ExitsTwo()
    {
        string missing = Path.Combine(Path.GetTempPath(), "edgeiot-missing-" + Guid.NewGuid().ToString("N"), "guests.csv");

        CliRun run = await CliRun.RunAsync(
            Path.Combine("simulators", "EdgeIoT.Simulator"), ["generate-guests", "--output", missing], TimeSpan.FromMinutes(1));

        Assert.Equal(2, run.ExitCode);
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Could not write the guest list {missing}", line, StringComparison.Ordinal);
    }
}
