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
}
