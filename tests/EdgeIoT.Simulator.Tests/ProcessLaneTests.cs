using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Tests;

/// <summary>
/// ESP32 and agent lanes with <c>"host": "process"</c>: the power cuts of power-cut-at-peak are
/// real SIGKILLs of the device processes, and no device process outlives the simulator.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed partial class ProcessLaneTests : IDisposable
{
    private static readonly TimeSpan DeviceExitTimeout = TimeSpan.FromSeconds(60);
    private readonly string _folder = TestPaths.NewTempFolder("process-lane");

    [Fact]
    public async Task PowerCutAtPeak_KilledDevice_NothingLost()
    {
        EventReport report = await ScenarioRun.ShortFormAsync("power-cut-at-peak");

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures));
        Assert.Equal(0, report.Reconciliation.Lost);
        Assert.Equal(0, report.Reconciliation.AppliedTwice);
        Assert.Equal(0, report.Decisions.Undecided);
        ShippedScenarioTests.AssertSampledAndOfflineDuringPowerCuts(report);

        foreach (string lane in new[] { "agent-1", "esp32-1" })
        {
            FaultRecord cut = Assert.Single(report.Faults, f => f.Kind == "power-loss" && f.Target == lane);
            Match pids = PowerCutDetail().Match(cut.Detail ?? string.Empty);
            Assert.True(pids.Success, $"fault detail '{cut.Detail}' of {lane} does not name the killed and the restarted pid");
            int killed = int.Parse(pids.Groups["killed"].Value, CultureInfo.InvariantCulture);
            int restarted = int.Parse(pids.Groups["restarted"].Value, CultureInfo.InvariantCulture);
            Assert.NotEqual(killed, restarted);
            Assert.True(HasEnded(killed), $"killed process {killed} of {lane} is still running");
            Assert.True(HasEnded(restarted), $"process {restarted} of {lane} outlived the run");
        }
    }

    [Fact]
    public async Task Interrupt_ProcessLane_DeviceProcessEnds()
    {
        (Process simulator, string data, Task<string> errors) = await StartUntilCrowdAsync();
        int device = await DeviceProcessIdAsync(data, "esp32-1", "device.log");
        int agent = await DeviceProcessIdAsync(data, "agent-1", "agent.log");

        using (Process kill = Process.Start("kill", ["-INT", simulator.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(SimulatorProcess.Timeout);
        await simulator.WaitForExitAsync(timeout.Token);
        await errors;

        Assert.Equal(130, simulator.ExitCode);
        Assert.True(HasEnded(device), $"device process {device} outlived the interrupted simulator");
        Assert.True(HasEnded(agent), $"agent process {agent} outlived the interrupted simulator");
        simulator.Dispose();
    }

    [Fact]
    public async Task SimulatorKilled_ProcessLane_DeviceStopsByItself()
    {
        (Process simulator, string data, Task<string> errors) = await StartUntilCrowdAsync();
        int device = await DeviceProcessIdAsync(data, "esp32-1", "device.log");
        int agent = await DeviceProcessIdAsync(data, "agent-1", "agent.log");

        simulator.Kill();
        await simulator.WaitForExitAsync();
        await errors;

        Assert.True(await WaitForEndAsync(device), $"device process {device} still ran {DeviceExitTimeout.TotalSeconds} s after the simulator was killed");
        Assert.True(await WaitForEndAsync(agent), $"agent process {agent} still ran {DeviceExitTimeout.TotalSeconds} s after the simulator was killed");
        simulator.Dispose();
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

    /// <summary>Starts the simulator on power-cut-at-peak's short form and waits until visitors arrive.</summary>
    private async Task<(Process Simulator, string Data, Task<string> Errors)> StartUntilCrowdAsync()
    {
        string data = Path.Combine(_folder, "data");
        Process process = SimulatorProcess.Start("--scenario", TestPaths.Scenario("power-cut-at-peak"), "--short", "--data", data);
        var crowdStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.StartsWith("Visitors arriving", StringComparison.Ordinal) == true)
            {
                crowdStarted.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        await crowdStarted.Task.WaitAsync(SimulatorProcess.Timeout);
        return (process, data, errors);
    }

    /// <summary>Reads the pid of the first boot from a lane's process log.</summary>
    private static async Task<int> DeviceProcessIdAsync(string data, string lane, string logName)
    {
        string log = await File.ReadAllTextAsync(Path.Combine(data, lane, logName));
        Match started = DeviceStarted().Match(log);
        Assert.True(started.Success, $"{logName} of {lane} names no started process:{Environment.NewLine}{log}");
        return int.Parse(started.Groups["pid"].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits for a process that is not this test's child to end; returns false at the timeout.</summary>
    private static async Task<bool> WaitForEndAsync(int pid)
    {
        using var timeout = new CancellationTokenSource(DeviceExitTimeout);
        while (!HasEnded(pid))
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="pid"/> is gone or a zombie waiting to be reaped (Linux /proc).</summary>
    private static bool HasEnded(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        try
        {
            // The state letter follows the command name in parentheses: "123 (dotnet) S ...".
            string text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return true;
        }
    }

    [GeneratedRegex(@"SIGKILL pid (?<killed>\d+); restarted as pid (?<restarted>\d+)")]
    private static partial Regex PowerCutDetail();

    [GeneratedRegex(@"started as pid (?<pid>\d+)")]
    private static partial Regex DeviceStarted();
}
