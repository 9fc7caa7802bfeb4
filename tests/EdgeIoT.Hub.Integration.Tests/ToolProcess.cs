using System.Diagnostics;

namespace EdgeIoT.Hub.Integration.Tests;

/// <summary>Runs a command-line tool to completion and returns its exit code and output.</summary>
internal static class ToolProcess
{
    public static async Task<ToolResult> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
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
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not exit within {timeout.TotalSeconds} s.");
        }

        return new ToolResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs the hub's runbook CLI (dotnet EdgeIoT.Hub.dll ...) from its build output.</summary>
    public static Task<ToolResult> HubCliAsync(params string[] arguments) => HubCliAsync(environment: null, arguments);

    /// <summary>Runs the hub's runbook CLI with extra environment variables, such as EDGEIOT_OPERATOR_TOKEN.</summary>
    public static Task<ToolResult> HubCliAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments) => RunAsync(
        "dotnet",
        [EdgeIoT.EndToEnd.Tests.RepositoryPaths.BuildOutput("hub/EdgeIoT.Hub"), .. arguments],
        TimeSpan.FromSeconds(60),
        environment);
}

internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}
