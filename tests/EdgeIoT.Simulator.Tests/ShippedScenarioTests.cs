using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Tests;

/// <summary>
/// Every shipped scenario in its short form meets its own expected outcomes. The smoke
/// scenario runs in <see cref="DeterminismTests"/>, power-cut-at-peak in
/// <see cref="ProcessLaneTests"/>, hid-wrong-layout in <see cref="HidScannerTests"/> and the
/// default one in the end-to-end suite, so each short form runs once per test run.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ShippedScenarioTests
{
    [Theory]
    [InlineData("rush")]
    [InlineData("long-outage")]
    [InlineData("key-rotation-mid-event")]
    [InlineData("clock-skew")]
    [InlineData("clock-step-day")]
    [InlineData("bad-actors")]
    public async Task ShortForm_ShippedScenario_MeetsExpectedOutcomes(string name)
    {
        EventReport report = await ScenarioRun.ShortFormAsync(name);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures));
        Assert.NotEmpty(report.Expectations);
        Assert.All(report.Expectations, e => Assert.True(e.Met, e.FailureMessage));
        Assert.Equal(0, report.Reconciliation.Lost);
        Assert.Equal(0, report.Reconciliation.AppliedTwice);
        AssertSampledAndOfflineDuringPowerCuts(report);
    }

    [Fact]
    public void ShippedScenarios_EveryOneCovered()
    {
        string[] covered = ["rush", "long-outage", "power-cut-at-peak", "key-rotation-mid-event", "clock-skew", "clock-step-day", "bad-actors", "smoke", "default", "hid-wrong-layout"];

        string[] shipped = [.. ScenarioLoaderTests.ShippedNames()];

        Assert.Equal(covered.Order(StringComparer.Ordinal), shipped.Order(StringComparer.Ordinal));
    }

    /// <summary>Checks that queues were sampled once a second and every lane went dark inside its power cut.</summary>
    internal static void AssertSampledAndOfflineDuringPowerCuts(EventReport report)
    {
        ArgumentNullException.ThrowIfNull(report);

        AssertOnePerSecond(report.QueueSamples.Select(s => s.Second));
        AssertOnePerSecond(report.DeviceQueueSamples.Select(s => s.Second));
        AssertOfflineDuringPowerCuts(report);
    }

    /// <summary>
    /// A lane goes dark inside its power cut. The fault's start is recorded once the cut has
    /// completed, a moment after the link dropped (the simulator waits for the killed process
    /// to exit), so the lane's offline period starts at most one second before it.
    /// </summary>
    private static void AssertOfflineDuringPowerCuts(EventReport report)
    {
        foreach (FaultRecord cut in report.Faults.Where(f => f.Kind == "power-loss"))
        {
            Assert.Contains(
                report.OfflinePeriods,
                p => p.DeviceId == cut.Target && p.StartSecond >= cut.StartSecond - 1 && p.StartSecond <= cut.EndSecond);
        }
    }

    private static void AssertOnePerSecond(IEnumerable<int> seconds)
    {
        int[] series = [.. seconds];
        Assert.NotEmpty(series);
        Assert.Equal(Enumerable.Range(series[0], series.Length), series);
    }
}
