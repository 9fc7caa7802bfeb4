using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeIoT.Hub.Reporting;

/// <summary>Renders the post-event report as one self-contained HTML page with inline SVG charts.</summary>
public static class ReportHtmlWriter
{
    public static string Render(PostEventReport report)
    {
        ArgumentNullException.ThrowIfNull(report);

        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append(Invariant($"<title>EdgeIoT post-event report: {Encode(report.Venue)}</title>"))
            .Append("<style>body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:760px}")
            .Append("table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .6rem;")
            .Append("text-align:right}th:first-child,td:first-child{text-align:left}")
            .Append("svg{border:1px solid #ddd;max-width:100%;height:auto}</style></head><body>");
        html.Append(Invariant($"<h1>Post-event report: {Encode(report.Venue)}, event {report.EventId}</h1>"))
            .Append(Invariant($"<p>Generated {Time(report.GeneratedAtMs)} from the hub database.</p>"));
        AppendTotals(html, report);
        AppendLanes(html, report);
        AppendLatency(html, report);
        AppendTimeline(html, report);
        AppendDisputes(html, report);
        AppendPayouts(html, report);
        html.Append("</body></html>");
        return html.ToString();
    }

    private static void AppendTotals(StringBuilder html, PostEventReport report)
    {
        ReportTotals totals = report.Totals;
        html.Append("<h2>Totals</h2><table>")
            .Append(Row("decisions", totals.Decisions))
            .Append(Row("admitted", totals.Admitted))
            .Append(Row("denied", totals.Denied))
            .Append(Row("offline decisions", totals.OfflineDecisions))
            .Append(Invariant($"<tr><td>offline share</td><td>{totals.OfflineShare:P1}</td></tr>"))
            .Append(Row("guests on the list", totals.GuestsOnList))
            .Append(Row("guests arrived", totals.GuestsArrived))
            .Append(Row("events stored", totals.EventsStored))
            .Append(Row("events not yet in the ledger", totals.EventsUnsent))
            .Append(Row("dead letters", totals.DeadLetters))
            .Append("</table><h3>Denied by reason</h3><table><tr><th>reason</th><th>decisions</th></tr>");
        foreach (NamedCount reason in report.DeniedByReason)
        {
            html.Append(Row(reason.Name, reason.Count));
        }

        html.Append("</table>");
    }

    private static void AppendLanes(StringBuilder html, PostEventReport report)
    {
        html.Append("<h2>Throughput per lane</h2><table><tr><th>device</th><th>class</th><th>decisions</th>")
            .Append("<th>admitted</th><th>denied</th><th>offline share</th><th>per minute</th><th>peak minute</th>")
            .Append("<th>p50 ms</th><th>p99 ms</th></tr>");
        foreach (LaneThroughput lane in report.Lanes)
        {
            html.Append(Invariant($"<tr><td>{Encode(lane.DeviceId)}</td><td>{Encode(lane.DeviceClass)}</td>"))
                .Append(Invariant($"<td>{lane.Decisions}</td><td>{lane.Admitted}</td><td>{lane.Denied}</td>"))
                .Append(Invariant($"<td>{lane.OfflineShare:P1}</td><td>{lane.DecisionsPerMinute:0.##}</td>"))
                .Append(Invariant($"<td>{lane.PeakDecisionsPerMinute}</td><td>{lane.P50Ms:0.##}</td><td>{lane.P99Ms:0.##}</td></tr>"));
        }

        html.Append("</table>");
        html.Append(SvgBarChart.Render(
            "Decisions per lane", [.. report.Lanes.Select(lane => lane.DeviceId)],
            [.. report.Lanes.Select(lane => (double)lane.Decisions)], "#2e90fa"));
    }

    private static void AppendLatency(StringBuilder html, PostEventReport report)
    {
        html.Append("<h2>Scan-to-decision latency</h2><table><tr><th>device class</th><th>decisions</th>")
            .Append("<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>");
        foreach (LatencyDistribution latency in report.Latency)
        {
            html.Append(Invariant($"<tr><td>{Encode(latency.DeviceClass)}</td><td>{latency.Count}</td>"))
                .Append(Invariant($"<td>{latency.P50Ms:0.##}</td><td>{latency.P95Ms:0.##}</td>"))
                .Append(Invariant($"<td>{latency.P99Ms:0.##}</td><td>{latency.MaxMs:0.##}</td></tr>"));
        }

        html.Append("</table>");
        LatencyDistribution all = report.Latency[0];
        html.Append(SvgBarChart.Render(
            "Decisions per latency bucket (upper bound in ms)",
            [.. all.Buckets.Select(bucket => bucket.UpperBoundMs?.ToString("0.##", CultureInfo.InvariantCulture) ?? "more")],
            [.. all.Buckets.Select(bucket => (double)bucket.Count)],
            "#7a5af8"));
    }

    private static void AppendTimeline(StringBuilder html, PostEventReport report)
    {
        html.Append("<h2>Admissions per 5 minutes</h2>");
        string[] labels = [.. report.Timeline.Select(bin => Clock(bin.StartMs))];
        html.Append(SvgBarChart.Render(
            "Admitted", labels, [.. report.Timeline.Select(bin => (double)bin.Admitted)], "#12b76a",
            Math.Max(1, labels.Length / 8)));
        html.Append(SvgBarChart.Render(
            "Offline decisions", labels, [.. report.Timeline.Select(bin => (double)bin.Offline)], "#f79009",
            Math.Max(1, labels.Length / 8)));
    }

    private static void AppendDisputes(StringBuilder html, PostEventReport report)
    {
        html.Append(Invariant($"<h2>Disputes: {report.Disputes.Count}</h2>"))
            .Append("<p>Single-entry tickets admitted more than once; the ledger lists them for settlement.</p>")
            .Append("<table><tr><th>entitlement</th><th>admits</th><th>devices</th><th>first admit</th></tr>");
        foreach (DoubleAdmit dispute in report.Disputes.Items)
        {
            html.Append(Invariant($"<tr><td>{dispute.EntitlementId}</td><td>{dispute.Admits}</td>"))
                .Append(Invariant($"<td>{Encode(string.Join(", ", dispute.DeviceIds))}</td><td>{Time(dispute.FirstAdmitMs)}</td></tr>"));
        }

        html.Append("</table>");
    }

    private static void AppendPayouts(StringBuilder html, PostEventReport report)
    {
        html.Append("<h2>Payouts per creator</h2><p>Sales with a creator's token or an assistant's delegated token, ")
            .Append("in minor units.</p><table><tr><th>creator</th><th>order</th><th>name</th><th>currency</th>")
            .Append("<th>sales</th><th>by assistants</th><th>total</th></tr>");
        foreach (CreatorPayout payout in report.Payouts)
        {
            html.Append(Invariant($"<tr><td>{payout.CreatorEntitlementId}</td><td>{Encode(payout.OrderCode ?? "")}</td>"))
                .Append(Invariant($"<td>{Encode(payout.Name ?? "")}</td><td>{Encode(payout.Currency)}</td>"))
                .Append(Invariant($"<td>{payout.Sales}</td><td>{payout.AssistantSales}</td><td>{payout.TotalMinor}</td></tr>"));
        }

        html.Append("</table><h3>All sales</h3><table><tr><th>currency</th><th>total (minor units)</th></tr>");
        foreach (NamedCount sales in report.SalesByCurrency)
        {
            html.Append(Row(sales.Name, sales.Count));
        }

        html.Append("</table>");
    }

    private static string Row(string name, long value) => Invariant($"<tr><td>{Encode(name)}</td><td>{value}</td></tr>");

    private static string Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string Clock(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
