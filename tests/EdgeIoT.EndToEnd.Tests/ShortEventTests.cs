using EdgeIoT.Simulator.Orchestration;
using EdgeIoT.Simulator.Reporting;
using EdgeIoT.Simulator.Scenarios;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeIoT.EndToEnd.Tests;

/// <summary>
/// The default scenario's short form: the same services, crowd kinds and outages as the
/// quick-start event, with fewer guests and a shorter arrival window so it fits a CI run.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ShortEventTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "edgeiot-event-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task ShortEvent_WithOutages_NothingLost()
    {
        ScenarioOptions scenario = ScenarioLoader.Load(
            Path.Combine(RepositoryPaths.Root, "simulators", "scenarios", "default.json"), shortForm: true, _data);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        EventReport report = await new EventSimulation(scenario, NullLoggerFactory.Instance, new SilentProgress())
            .RunAsync(timeout.Token);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures));
        Assert.Equal(0, report.Reconciliation.Lost);
        Assert.Equal(0, report.Reconciliation.AppliedTwice);
        Assert.Equal(report.Reconciliation.ProducedAtEdge, report.Reconciliation.InLedger);
        Assert.True(report.Offline.Decisions > 0, "the lane outage produced no offline decision");
        Assert.Equal(2, report.Outages.Count);
        Assert.All(report.Expectations, e => Assert.True(e.Met, e.FailureMessage));
        Assert.Equal(3, report.Decisions.DeniedByReason.GetValueOrDefault("bad_signature"));
        Assert.Equal(6, report.WalkIns.Verified);
        int sales = report.WalkIns.Purchases + report.WalkIns.AssistantSales;
        Assert.Equal(sales, report.WalkIns.ReceiptsPrinted);
        Assert.True(sales >= 6, $"only {sales} sales by walk-ins and assistants");
        Assert.Equal(5, report.GuestList.Rejected);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class SilentProgress : ISimulationProgress
    {
        public void Phase(string description)
        {
        }

        public void CrowdStarted(int visits)
        {
        }

        public void Visited(bool admitted)
        {
        }

        public void Draining(long remaining)
        {
        }
    }
}
