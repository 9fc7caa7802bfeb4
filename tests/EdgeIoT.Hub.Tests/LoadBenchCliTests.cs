using System.Diagnostics;

namespace EdgeIoT.Hub.Tests;

/// <summary>The load benchmark's command line as its own process: a mistake is one error line and exit code 2.</summary>
public sealed class LoadBenchCliTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("--gates 0", "error: --gates 0 is invalid: use at least 1.")]
    [InlineData("--target cloud", "error: Argument 'cloud' not recognized. Must be one of: 'both' 'hub' 'mosquitto'")]
    [InlineData("--gatez", "error: Unrecognized command or argument '--gatez'.")]
    public async Task LoadBench_InvalidOption_Exit2OneLine(string arguments, string expected)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(EdgeIoT.LoadBench.LoadProfile).Assembly.Location);
        foreach (string argument in arguments.Split(' '))
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ExitTimeout);
        await process.WaitForExitAsync(timeout.Token);

        string[] lines = (await error).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(process.ExitCode == 2, $"exit {process.ExitCode}\n{await output}\n{await error}");
        Assert.Single(lines);
        Assert.StartsWith(expected, lines[0], StringComparison.Ordinal);
        Assert.Empty(await output);
    }
}
