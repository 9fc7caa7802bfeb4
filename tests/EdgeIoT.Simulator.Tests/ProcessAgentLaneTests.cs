using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Reporting;
using EdgeIoT.Simulator.Scenarios;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.Simulator.Tests;

/// <summary>
/// An agent lane with <c>"host": "process"</c>: the real edge agent program with a serial
/// scanner behind a TCP serial server, killed with SIGKILL in the middle of the crowd and
/// started again on the same SQLite outbox.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed partial class ProcessAgentLaneTests : IDisposable
{
    private const string Scenario = """
        {
          "name": "agent-sigkill",
          "seed": 11,
          "venue": {
            "lanes": [
              { "kind": "agent", "scanner": "serial", "host": "process" },
              { "kind": "agent", "scanner": "camera" }
            ]
          },
          "crowd": {
            "durationSeconds": 12,
            "arriving": 80,
            "walkIns": 2,
            "creatorAssistants": 0,
            "badActors": { "screenshotReplays": 0, "forged": 2, "garbage": 0 }
          },
          "faults": [ { "kind": "power-loss", "target": "agent-1", "at": 0.3, "until": 0.5 } ],
          "expect": [ "lost == 0", "appliedTwice == 0", "undecided == 0", "forgeriesAdmitted == 0", "admitted >= 1" ]
        }
        """;

    private readonly string _folder = TestPaths.NewTempFolder("agentproc");

    [Fact]
    public async Task AgentSigkill_MidCrowd_RestartsWithNothingLost()
    {
        string data = Path.Combine(_folder, "run");
        string file = Path.Combine(_folder, "agent-sigkill.json");
        await File.WriteAllTextAsync(file, Scenario);
        ScenarioOptions scenario = ScenarioLoader.Load(file, shortForm: false, data);
        using var timeout = new CancellationTokenSource(ScenarioRun.Timeout);

        EventReport report = await new EventSimulation(scenario, NullLoggerFactory.Instance, new SilentProgress()).RunAsync(timeout.Token);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures));
        Assert.Equal(0, report.Reconciliation.Lost);
        Assert.Equal(0, report.Reconciliation.AppliedTwice);
        Assert.Equal(0, report.Decisions.Undecided);
        Assert.Equal(0, report.Gates.Annulled);
        FaultRecord cut = Assert.Single(report.Faults, f => f.Kind == "power-loss");
        Assert.True(cut.StartSecond < scenario.ArrivalWindow.TotalSeconds, $"agent-1 was killed at {cut.StartSecond} s, after the crowd.");
        Match pids = PowerLossDetail().Match(cut.Detail ?? "");
        Assert.True(pids.Success, $"fault detail '{cut.Detail}' does not name the killed and the restarted agent process");
        int killed = int.Parse(pids.Groups["killed"].Value, CultureInfo.InvariantCulture);
        int restarted = int.Parse(pids.Groups["restarted"].Value, CultureInfo.InvariantCulture);
        Assert.NotEqual(killed, restarted);
        Assert.False(IsRunning(killed), $"killed agent process {killed} is still running");
        Assert.False(IsRunning(restarted), $"agent process {restarted} outlived the run");
        string log = await File.ReadAllTextAsync(Path.Combine(data, "agent-1", "agent.log"));
        string afterRestart = log[log.IndexOf($"started as pid {restarted}", StringComparison.Ordinal)..];
        Assert.Contains("\"Decision admit ", afterRestart, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseLogLine_Decision_ReadsStructuredState()
    {
        const string Line = """{"EventId":0,"LogLevel":"Information","Category":"EdgeIoT.EdgeAgent.Decisions.DecisionPipeline","Message":"m","State":{"Message":"m","Outcome":"admit","Reason":"none","Mode":"offline","EntitlementId":17,"LatencyMicros":1500,"EventId":"agent-1:42","PolicyVersion":"v3","{OriginalFormat}":"Decision {Outcome} ({Reason}, {Mode}) for entitlement {EntitlementId} in {LatencyMicros} µs, event {EventId}, policy {PolicyVersion}"}}""";

        AgentLogLine? entry = AgentLogLine.TryParse(Line);

        Assert.NotNull(entry);
        Assert.Equal(new LaneDecision(true, "none", "offline", "v3", TimeSpan.FromMilliseconds(1.5)), entry.Decision);
        Assert.Equal(42, entry.Seq);
    }

    [Theory]
    [InlineData("plain text from the host")]
    [InlineData("{ not json")]
    [InlineData("""{"State":{"{OriginalFormat}":"Reading scans from {Scanner}"}}""")]
    public void ParseLogLine_OtherLine_Null(string line)
    {
        Assert.Null(AgentLogLine.TryParse(line));
    }

    [Fact]
    public void ParseMetrics_PrometheusText_ReadsGauges()
    {
        const string Text = """
            # TYPE edgeiot_outbox_last_seq gauge
            edgeiot_outbox_last_seq{device="agent-1",otel_scope_name="EdgeIoT.EdgeAgent"} 118 1733370000000
            edgeiot_outbox_depth{device="agent-1"} 3
            edgeiot_lane_ready{device="agent-1"} 1
            edgeiot_mqtt_connections{device="agent-1"} 0
            """;

        AgentMetricsSample sample = AgentMetricsSample.Parse(Text);

        Assert.Equal(new AgentMetricsSample(LastSeq: 118, OutboxDepth: 3, Ready: true, HubConnected: false), sample);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; the temp folder is cleaned by the OS.
        }
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
