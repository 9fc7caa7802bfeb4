using System.Diagnostics;

namespace EdgeIoT.Simulator.Tests;

/// <summary>Starts the simulator or the virtual device from their build output, as a user runs them.</summary>
public static class SimulatorProcess
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Starts the simulator with redirected output and SIGINT at its default action.</summary>
    public static Process Start(params string[] arguments) => StartDll(TestPaths.SimulatorDll(), null, arguments);

    /// <summary>
    /// Starts <paramref name="dll"/>. It runs under env so SIGINT has its default action even
    /// when the test runner was started with SIGINT ignored, as shells do for background jobs.
    /// </summary>
    public static Process StartDll(string dll, IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A null value removes the variable from the child's environment.
        foreach ((string name, string? value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return Process.Start(start)!;
    }

    /// <summary>Runs the simulator to its end and returns its exit code and both outputs.</summary>
    public static Task<(int ExitCode, string Output, string Errors)> RunAsync(params string[] arguments) =>
        CompleteAsync(Start(arguments));

    /// <summary>Waits for <paramref name="process"/> to end, killing it after <see cref="Timeout"/>.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> CompleteAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);

        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The process did not finish within {Timeout.TotalMinutes} minutes.");
            }

            return (process.ExitCode, await output, await errors);
        }
    }
}
