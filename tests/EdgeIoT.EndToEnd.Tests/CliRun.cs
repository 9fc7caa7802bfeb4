using System.Diagnostics;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>One run of a command-line program from its build output, to completion.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs <c>dotnet {project}.dll {arguments}</c> and waits for it to exit, or fails after the timeout.</summary>
    public static async Task<CliRun> RunAsync(
        string projectPath, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        string dll = RepositoryPaths.BuildOutput(projectPath);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{Path.GetFileName(dll)} {string.Join(' ', arguments)} did not exit within {timeout.TotalSeconds} s:"
                + $"{Environment.NewLine}{await output}{await error}");
        }

        return new CliRun(process.ExitCode, await output, await error);
    }

    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}{Output}{Error}";
}
