using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Tests;

/// <summary>Two runs of the same scenario and seed make the same decisions.</summary>
[Trait("Category", "EndToEnd")]
public sealed class DeterminismTests
{
    [Fact]
    public async Task Smoke_SameSeedTwice_SameDecisionDigest()
    {
        EventReport first = await ScenarioRun.ShortFormAsync("smoke");
        EventReport second = await ScenarioRun.ShortFormAsync("smoke");

        Assert.True(first.Passed, string.Join(Environment.NewLine, first.Failures));
        Assert.True(second.Passed, string.Join(Environment.NewLine, second.Failures));
        Assert.Equal(first.Decisions.Scans, second.Decisions.Scans);
        Assert.Equal(first.Decisions.DeniedByReason, second.Decisions.DeniedByReason);
        Assert.Equal(first.DecisionDigest, second.DecisionDigest);
    }
}
