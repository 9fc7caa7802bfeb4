using System.Text.Json;
using EdgeIoT.Simulator.Reporting;

namespace EdgeIoT.Simulator.Tests;

/// <summary>The console, HTML and JSON reports name the same things the same way.</summary>
public sealed class ReportWordingTests
{
    [Fact]
    public void Html_Redeliveries_SameTermAsConsole()
    {
        string html = HtmlReportWriter.Render(SampleReport.With(admitted: 10, doubleAdmits: 0));

        Assert.Contains("<th>redeliveries absorbed by the ledger</th>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("retries absorbed", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_QueuePeaks_HeadingNamesQueueLanes()
    {
        string html = HtmlReportWriter.Render(SampleReport.With(admitted: 10, doubleAdmits: 0));

        Assert.Contains("<h3>Peak unsent events per queue lane</h3><table><tr><td>checkIns</td><td>7</td></tr>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Peak depth per lane", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_HubFault_TargetWrittenAsNull()
    {
        EventReport report = SampleReport.With(admitted: 10, doubleAdmits: 0) with
        {
            Faults = [new FaultRecord("hub-power-loss", null, 10, 14, null), new FaultRecord("partition", "agent-1", 3, 5, null)],
        };

        using JsonDocument json = JsonDocument.Parse(JsonSerializer.Serialize(report, ReportJson.Default.EventReport));

        JsonElement[] faults = [.. json.RootElement.GetProperty("faults").EnumerateArray()];
        Assert.True(faults[0].TryGetProperty("target", out JsonElement hubTarget), "target is missing for the hub fault");
        Assert.Equal(JsonValueKind.Null, hubTarget.ValueKind);
        Assert.Equal("agent-1", faults[1].GetProperty("target").GetString());
        Assert.False(faults[0].TryGetProperty("detail", out _));
    }
}
