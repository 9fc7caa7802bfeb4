using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EdgeIoT.Hub;
using EdgeIoT.Simulator.Faults;
using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Reporting;
using EdgeIoT.Simulator.Scenarios;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Simulator.Tests;

/// <summary>
/// A hub in its own process (venue.hub.host "process"): killed with SIGKILL in the middle of
/// the crowd, it comes back on the same data folder as a new process, and nothing is lost.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed partial class ProcessHostedHubTests : IDisposable
{
    private const string Scenario = """
        {
          "name": "hub-sigkill",
          "seed": 7,
          "venue": {
            "hub": { "host": "process" },
            "lanes": [ { "kind": "agent", "scanner": "camera" }, { "kind": "esp32", "scanner": "serial" } ]
          },
          "crowd": {
            "durationSeconds": 12,
            "arriving": 80,
            "walkIns": 2,
            "creatorAssistants": 0,
            "badActors": { "screenshotReplays": 0, "forged": 0, "garbage": 0 }
          },
          "faults": [ { "kind": "hub-power-loss", "at": 0.4, "until": 0.6 } ],
          "expect": [ "lost == 0", "appliedTwice == 0", "undecided == 0", "admitted >= 1" ]
        }
        """;

    private readonly string _folder = TestPaths.NewTempFolder("hubproc");

    [Fact]
    public async Task HubSigkill_MidCrowd_RestartsWithNothingLost()
    {
        string data = Path.Combine(_folder, "run");
        string file = Path.Combine(_folder, "hub-sigkill.json");
        await File.WriteAllTextAsync(file, Scenario);
        ScenarioOptions scenario = ScenarioLoader.Load(file, shortForm: false, data);
        using var timeout = new CancellationTokenSource(ScenarioRun.Timeout);

        EventReport report = await new EventSimulation(scenario, NullLoggerFactory.Instance, new SilentProgress()).RunAsync(timeout.Token);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures));
        Assert.Equal(0, report.Reconciliation.Lost);
        Assert.Equal(0, report.Reconciliation.AppliedTwice);
        Assert.Equal(0, report.Decisions.Undecided);
        FaultRecord cut = Assert.Single(report.Faults, f => f.Kind == "hub-power-loss");
        Assert.True(cut.StartSecond < scenario.ArrivalWindow.TotalSeconds, $"The hub was killed at {cut.StartSecond} s, after the crowd.");
        Match pids = PowerLossDetail().Match(cut.Detail ?? "");
        Assert.True(pids.Success, $"Fault detail '{cut.Detail}' does not name the killed and the restarted hub process.");
        int killed = int.Parse(pids.Groups["killed"].Value, CultureInfo.InvariantCulture);
        int restarted = int.Parse(pids.Groups["restarted"].Value, CultureInfo.InvariantCulture);
        Assert.NotEqual(killed, restarted);
        Assert.Equal(restarted, LockOwner(Path.Combine(data, "hub")));
        Assert.False(IsRunning(killed), $"Killed hub process {killed} is still running.");
        Assert.False(IsRunning(restarted), $"Hub process {restarted} outlived the run.");
        string hubLog = await File.ReadAllTextAsync(Path.Combine(data, EventSimulation.HubProcessLogFile));
        Assert.Contains($"--- hub process {killed} started", hubLog, StringComparison.Ordinal);
        Assert.Contains($"--- hub process {restarted} started", hubLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HubRejectsSetting_ErrorShowsHubOutput()
    {
        string hubData = Path.Combine(_folder, "hub");
        string policy = Path.Combine(TestPaths.Root, "simulators", "data", "policies", "venue-default.json");
        var settings = new HubSettings(
            hubData, "bad/venue", new Uri("http://127.0.0.1:9"), policy, new SimulatedClock(), DateTimeOffset.UtcNow.AddHours(1),
            KeyRotationInterval: null, NullLoggerFactory.Instance, HubHost.Process, Path.Combine(_folder, "hub-process.log"));
        using var timeout = new CancellationTokenSource(ScenarioRun.Timeout);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HubNode.StartAsync(settings, timeout.Token));

        Assert.Contains("exited with code 2 before it was ready", error.Message, StringComparison.Ordinal);
        Assert.Contains("Hub:Venue 'bad/venue' is invalid", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A service may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
    }

    // The restarted hub writes its process id as the first word of hub.lock.owner.
    private static int LockOwner(string hubData)
    {
        string owner = File.ReadAllText(Path.Combine(hubData, DataDirectoryLock.OwnerFileName));
        return int.Parse(owner.Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^SIGKILL pid (?<killed>\d+); restarted as pid (?<restarted>\d+)$")]
    private static partial Regex PowerLossDetail();
}
