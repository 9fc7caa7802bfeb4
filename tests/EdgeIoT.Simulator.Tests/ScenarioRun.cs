using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Reporting;
using EdgeIoT.Simulator.Scenarios;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Simulator.Tests;

/// <summary>Runs a shipped scenario's short form in this process and deletes its data afterwards.</summary>
public static class ScenarioRun
{
    /// <summary>Upper bound for one short-form run, start-up and drain included, on a loaded 2-core machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static Task<EventReport> ShortFormAsync(string name) => RunAsync(TestPaths.Scenario(name), shortForm: true);

    /// <summary>Runs the scenario in <paramref name="file"/>, such as one a test wrote.</summary>
    public static async Task<EventReport> RunAsync(string file, bool shortForm)
    {
        string data = TestPaths.NewTempFolder(Path.GetFileNameWithoutExtension(file));
        try
        {
            ScenarioOptions scenario = ScenarioLoader.Load(file, shortForm, data);
            using var timeout = new CancellationTokenSource(Timeout);
            return await new EventSimulation(scenario, NullLoggerFactory.Instance, new SilentProgress()).RunAsync(timeout.Token);
        }
        finally
        {
            TryDelete(data);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A service may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }
}
