using System.Diagnostics;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>One run of a command-line program from its build output, to completion.</summary>
public sealed record CliRun(int ExitCode, string Output, string Error)
{
    /// <summary>Runs <c>dotnet {project}.dll {arguments}</c> and waits for it to exit, or fails after the timeout.</summary>
    public static Task<CliRun> RunAsync(
        string projectPath, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null) =>
        RunDllAsync(RepositoryPaths.BuildOutput(projectPath), arguments, timeout, environment);

    /// <summary>
    /// Runs <c>dotnet {dll} {arguments}</c> in the program's folder and waits for it to exit, or
    /// fails after the timeout. <paramref name="unset"/> names variables the program must not inherit.
    /// </summary>
    public static async Task<CliRun> RunDllAsync(
        string dll,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null,
        IEnumerable<string>? unset = null)
    {
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

        foreach (string key in unset ?? [])
        {
            start.Environment.Remove(key);
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
