using System.Text.Json;
using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Tests;

/// <summary>A report of a run that stopped early is marked as partial in JSON and HTML.</summary>
public sealed class PartialReportTests
{
    private static readonly RunInterruption Failure = new(
        RunInterruption.Failed, "Waiting for every queue to reach the ledger", 12.5, 80, 100, "The hub <stopped> responding.");

    [Fact]
    public void Html_FailedRun_BannerNamesErrorAndPhase()
    {
        EventReport report = SampleReport.With(admitted: 70, doubleAdmits: 0) with { Interruption = Failure };

        string html = HtmlReportWriter.Render(report);

        Assert.Contains("id=\"interrupted\"", html, StringComparison.Ordinal);
        Assert.Contains("PARTIAL REPORT: run failed", html, StringComparison.Ordinal);
        Assert.Contains("phase &quot;Waiting for every queue to reach the ledger&quot;, 12.5 s into the crowd, 80 of 100 visits finished", html, StringComparison.Ordinal);
        Assert.Contains("The hub &lt;stopped&gt; responding.", html, StringComparison.Ordinal);
        Assert.Contains("Not judged: the run stopped before its end.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>PASSED</b>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_FinishedRun_NoBanner()
    {
        string html = HtmlReportWriter.Render(SampleReport.With(admitted: 70, doubleAdmits: 0));

        Assert.DoesNotContain("id=\"interrupted\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_FinishedRun_NoInterruptionField()
    {
        string json = JsonSerializer.Serialize(SampleReport.With(admitted: 70, doubleAdmits: 0), ReportJson.Default.EventReport);

        using JsonDocument document = JsonDocument.Parse(json);
        Assert.False(document.RootElement.TryGetProperty("interruption", out _));
    }

    [Fact]
    public void Describe_BeforeCrowd_LeavesOutCrowdTime()
    {
        var interruption = new RunInterruption(RunInterruption.Interrupted, "Enrolling and starting lanes", null, 0, 0, null);

        Assert.Equal("phase \"Enrolling and starting lanes\", 0 of 0 visits finished", interruption.Describe());
    }
}
