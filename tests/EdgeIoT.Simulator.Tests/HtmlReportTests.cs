using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Tests;

/// <summary>The HTML report shows the same decision counts as the JSON report.</summary>
[Trait("Category", "EndToEnd")]
public sealed class HtmlReportTests
{
    [Fact]
    public async Task Render_Smoke_DecisionTableMatchesReport()
    {
        EventReport report = await ScenarioRun.ShortFormAsync("smoke");

        string html = HtmlReportWriter.Render(report);

        // The smoke scenario's camera lanes have NFC readers, so some guests present a tag.
        Assert.True(report.Decisions.ByNfcTag > 0, "no decision was made on an NFC tag");
        string row = $"<tr><td>{report.Decisions.Scans}</td><td>{report.Decisions.Admitted}</td><td>{report.Decisions.Denied}</td>"
            + $"<td>{report.Offline.Decisions}</td><td>{report.Decisions.Unreadable}</td><td>{report.Decisions.ByNfcTag}</td></tr>";
        Assert.Contains(row, html, StringComparison.Ordinal);
        Assert.Contains("<th>on NFC tags</th>", html, StringComparison.Ordinal);
    }
}
