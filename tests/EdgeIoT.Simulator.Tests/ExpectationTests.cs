using EdgeIoT.Simulator.Reporting;
using EdgeIoT.Simulator.Scenarios;

namespace EdgeIoT.Simulator.Tests;

/// <summary>Expected outcomes: parsing, and checking them against a report.</summary>
public sealed class ExpectationTests
{
    [Theory]
    [InlineData("admitted >= 2800", "admitted", ">=", 2800)]
    [InlineData("disputes.double_admit <= 1", "disputes.double_admit", "<=", 1)]
    [InlineData("latency.firmware.p99Ms < 50.5", "latency.firmware.p99Ms", "<", 50.5)]
    [InlineData("  lost   ==   0 ", "lost", "==", 0)]
    public void Parse_ValidOutcome_SplitsParts(string text, string metric, string comparison, double value)
    {
        Expectation expectation = Expectation.Parse(text);

        Assert.Equal(metric, expectation.Metric);
        Assert.Equal(comparison, expectation.Comparison);
        Assert.Equal(value, expectation.Value);
    }

    [Theory]
    [InlineData("lost", "write a metric")]
    [InlineData("lost => 0", "\"=>\"")]
    [InlineData("lost == none", "\"none\"")]
    [InlineData("latency.agent.p42Ms <= 1", "latency.agent.p42Ms")]
    [InlineData("denied. == 0", "denied.")]
    [InlineData("denied.bad_signatur == 0", "unknown key \"denied.bad_signatur\": use one of")]
    [InlineData("disputes.nonexistent_kind == 0", "double_admit, admit_after_cancel, lost_reply")]
    public void Parse_InvalidOutcome_ErrorNamesTheProblem(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Expectation.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_UnmetOutcome_MessageNamesOutcomeAndActual()
    {
        EventReport report = SampleReport.With(admitted: 2750, doubleAdmits: 2);

        ExpectationResult admitted = Expectation.Parse("admitted >= 2800").Evaluate(report);
        ExpectationResult disputes = Expectation.Parse("disputes.double_admit <= 1").Evaluate(report);

        Assert.False(admitted.Met);
        Assert.Equal(2750, admitted.Actual);
        Assert.Contains("\"admitted >= 2800\"", admitted.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("2750", admitted.FailureMessage, StringComparison.Ordinal);
        Assert.False(disputes.Met);
        Assert.Equal(2, disputes.Actual);
    }

    [Fact]
    public void Evaluate_MissingFamilyKey_CountsAsZero()
    {
        EventReport report = SampleReport.With(admitted: 10, doubleAdmits: 0);

        ExpectationResult result = Expectation.Parse("denied.unknown_kid == 0").Evaluate(report);

        Assert.True(result.Met);
        Assert.Equal(0, result.Actual);
    }

    [Fact]
    public void Evaluate_ForgeriesAdmitted_SumsThreeKinds()
    {
        EventReport report = SampleReport.With(admitted: 10, doubleAdmits: 0) with
        {
            BadActors = new BadActorSummary(
                new Dictionary<string, int> { ["forged"] = 5, ["screenshotReplay"] = 5 },
                new Dictionary<string, int> { ["forged"] = 1, ["otherEvent"] = 2, ["screenshotReplay"] = 4 }),
        };

        Assert.Equal(3, ReportMetrics.Value(report, "forgeriesAdmitted"));
        Assert.Equal(4, ReportMetrics.Value(report, "badActors.admitted.screenshotReplay"));
    }
}
