namespace EdgeIoT.Simulator.Tests;

/// <summary>The simulate command as a pipeline runs it: a wrong expected outcome fails the run by name.</summary>
[Trait("Category", "EndToEnd")]
public sealed class WrongExpectationTests : IDisposable
{
    private readonly string _folder = TestPaths.NewTempFolder("wrong");

    [Fact]
    public async Task Simulate_WrongExpectedOutcome_ExitsOneNamingOutcome()
    {
        string scenario = Path.Combine(_folder, "wrong.json");
        string guests = Path.Combine(TestPaths.Root, "simulators", "data", "guests.csv");
        string policy = Path.Combine(TestPaths.Root, "simulators", "data", "policies", "venue-default.json");
        await File.WriteAllTextAsync(scenario, $$"""
            {
              "name": "wrong-on-purpose",
              "guestList": "{{guests}}",
              "policy": "{{policy}}",
              "venue": { "lanes": [ { "kind": "agent" }, { "kind": "esp32" } ] },
              "crowd": { "durationSeconds": 5, "arriving": 30, "walkIns": 1, "creatorAssistants": 0,
                         "badActors": { "screenshotReplays": 0, "forged": 1, "garbage": 1 } },
              "faults": [],
              "expect": [ "lost == 0", "admitted >= 100000", "denied.bad_signature == 1" ]
            }
            """);

        (int exitCode, string output, string errors) = await RunSimulatorAsync(
            "--scenario", scenario, "--data", Path.Combine(_folder, "data"));

        Assert.True(exitCode == 1, $"exit code {exitCode}; output:{Environment.NewLine}{output}{errors}");
        Assert.Contains("Expected outcome \"admitted >= 100000\" not met", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("\"lost == 0\"", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("bad_signature", errors, StringComparison.Ordinal);

        // Redirected output has no width, so the report's last line keeps its paths whole.
        string[] lines = output.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Report: ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("simulation.log", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_InvalidScenario_ExitsTwoNamingField()
    {
        string scenario = Path.Combine(_folder, "invalid.json");
        await File.WriteAllTextAsync(scenario, """{ "name": "bad", "crowd": { "rush": { "multiplier": -3 } } }""");

        (int exitCode, _, string errors) = await RunSimulatorAsync("--scenario", scenario, "--data", Path.Combine(_folder, "data"));

        Assert.Equal(2, exitCode);
        Assert.Contains("crowd.rush.multiplier -3 is invalid", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--arriving", "lots")]
    [InlineData("--rush", "x")]
    [InlineData("--agents", "-1")]
    public async Task Simulate_InvalidOptionValue_ExitsTwoNamingValue(string option, string value)
    {
        (int exitCode, _, string errors) = await RunSimulatorAsync(option, value, "--data", Path.Combine(_folder, "data"));

        Assert.Equal(2, exitCode);
        Assert.Contains(value, errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Task<(int ExitCode, string Output, string Errors)> RunSimulatorAsync(params string[] arguments) =>
        SimulatorProcess.RunAsync(arguments);
}
