using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeIoT.Simulator.Reporting;

/// <summary>
/// Renders the event report as one self-contained HTML page with inline SVG charts, so it
/// opens offline in any browser and can be attached to a ticket as is.
/// </summary>
public static class HtmlReportWriter
{
    public static string Render(EventReport report)
    {
        ArgumentNullException.ThrowIfNull(report);

        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append(Invariant($"<title>EdgeIoT event report: {Encode(report.Scenario)}</title>"));
        html.Append("<style>body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:760px}")
            .Append("table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .6rem;")
            .Append("text-align:right}th:first-child,td:first-child{text-align:left}.ok{color:#176117}")
            .Append(".fail{color:#a11}svg{border:1px solid #ddd;max-width:100%;height:auto}</style></head><body>");

        AppendVerdict(html, report);
        AppendExpectations(html, report);
        AppendDecisions(html, report);
        AppendGates(html, report);
        AppendLatency(html, report);
        AppendReconciliation(html, report);
        AppendQueues(html, report);
        AppendFaults(html, report);
        AppendGuestList(html, report);

        html.Append("</body></html>");
        return html.ToString();
    }

    private static void AppendVerdict(StringBuilder html, EventReport report)
    {
        if (report.Interruption is { } interruption)
        {
            AppendInterruptionBanner(html, report, interruption);
            return;
        }

        string verdict = report.Passed ? "<p class=\"ok\"><b>PASSED</b>" : "<p class=\"fail\"><b>FAILED</b>";
        html.Append(Invariant($"<h1>Event report: {Encode(report.Scenario)}</h1>{verdict}"));
        html.Append(Invariant(
            $" seed {report.Seed}, started {report.StartedAt:u}, {report.DurationSeconds:F1} s</p>"));
        if (report.Failures.Count > 0)
        {
            html.Append("<ul class=\"fail\">");
            foreach (string failure in report.Failures)
            {
                html.Append("<li>").Append(Encode(failure)).Append("</li>");
            }

            html.Append("</ul>");
        }
    }

    /// <summary>
    /// Heads a partial report with where the run stopped, so its counts are not read as a
    /// finished event's: queues were not drained and no expected outcome was judged.
    /// </summary>
    private static void AppendInterruptionBanner(StringBuilder html, EventReport report, RunInterruption interruption)
    {
        html.Append(Invariant($"<h1>Event report: {Encode(report.Scenario)}</h1>"))
            .Append("<div id=\"interrupted\" class=\"fail\" style=\"border:2px solid #a11;padding:.5rem .8rem\">")
            .Append(Invariant($"<p><b>PARTIAL REPORT: run {Encode(interruption.Reason)}</b> in "))
            .Append(Encode(interruption.Describe())).Append(".</p>");
        if (interruption.Error is { } error)
        {
            html.Append("<p>Error: ").Append(Encode(error)).Append("</p>");
        }

        html.Append("<p>Expected outcomes were not judged. Queues were not drained, so events produced at the edge ")
            .Append("but not yet in the ledger may still have been on their way; <code>lost</code> is not counted.</p></div>")
            .Append(Invariant($"<p>seed {report.Seed}, started {report.StartedAt:u}, {report.DurationSeconds:F1} s</p>"));
    }

    private static void AppendExpectations(StringBuilder html, EventReport report)
    {
        if (report.Interruption is not null)
        {
            html.Append("<h2>Expected outcomes</h2><p>Not judged: the run stopped before its end.</p>");
            return;
        }

        html.Append("<h2>Expected outcomes</h2><table><tr><th>outcome</th><th>actual</th><th></th></tr>");
        foreach (ExpectationResult result in report.Expectations)
        {
            string verdict = result.Met ? "<td class=\"ok\">met</td>" : "<td class=\"fail\"><b>not met</b></td>";
            html.Append(Invariant($"<tr><td>{Encode(result.Outcome)}</td><td>{result.Actual:0.###}</td>{verdict}</tr>"));
        }

        html.Append("</table>");
    }

    private static void AppendGates(StringBuilder html, EventReport report)
    {
        GateSummary gates = report.Gates;
        html.Append("<h2>Gates and bad actors</h2><table><tr><th>admits annulled</th><th>tailgates</th>")
            .Append("<th>turn-backs acted</th><th>tailgates acted</th></tr>")
            .Append(Invariant($"<tr><td>{gates.Annulled}</td><td>{gates.Tailgates}</td>"))
            .Append(Invariant($"<td>{gates.TurnBacksActed}</td><td>{gates.TailgatesActed}</td></tr></table>"));
        html.Append("<table><tr><th>bad actor</th><th>presented</th><th>admitted</th></tr>");
        foreach ((string kind, int presented) in report.BadActors.Presented.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            int admitted = report.BadActors.Admitted.GetValueOrDefault(kind);
            string css = admitted > 0 ? " class=\"fail\"" : "";
            html.Append(Invariant($"<tr{css}><td>{Encode(kind)}</td><td>{presented}</td><td>{admitted}</td></tr>"));
        }

        html.Append("</table>");
    }

    private static void AppendFaults(StringBuilder html, EventReport report)
    {
        html.Append("<h2>Faults and offline periods</h2>");
        if (report.Faults.Count == 0 && report.OfflinePeriods.Count == 0)
        {
            html.Append("<p>none</p>");
            return;
        }

        html.Append(SvgCharts.PeriodChart(report));

        html.Append("<table><tr><th>what</th><th>target</th><th>from s</th><th>to s</th><th>detail</th></tr>");
        foreach (FaultRecord fault in report.Faults)
        {
            html.Append(Invariant($"<tr><td>{Encode(fault.Kind)}</td><td>{Encode(fault.Target ?? "hub")}</td>"))
                .Append(Invariant($"<td>{fault.StartSecond:F1}</td><td>{fault.EndSecond:F1}</td><td>{Encode(fault.Detail ?? "")}</td></tr>"));
        }

        foreach (OfflinePeriod period in report.OfflinePeriods)
        {
            html.Append(Invariant($"<tr><td>offline from the hub</td><td>{Encode(period.DeviceId)}</td>"))
                .Append(Invariant($"<td>{period.StartSecond:F1}</td><td>{period.EndSecond:F1}</td><td></td></tr>"));
        }

        html.Append("</table>");
    }

    private static void AppendDecisions(StringBuilder html, EventReport report)
    {
        DecisionSummary decisions = report.Decisions;
        html.Append("<h2>Decisions</h2><table><tr><th>scans</th><th>admitted</th><th>denied</th>")
            .Append("<th>offline</th><th>unreadable images</th><th>on NFC tags</th></tr>")
            .Append(Invariant($"<tr><td>{decisions.Scans}</td><td>{decisions.Admitted}</td><td>{decisions.Denied}</td>"))
            .Append(Invariant($"<td>{report.Offline.Decisions}</td><td>{decisions.Unreadable}</td>"))
            .Append(Invariant($"<td>{decisions.ByNfcTag}</td></tr></table>"));
        AppendCounts(html, "Denied by reason", decisions.DeniedByReason);
        AppendCounts(html, "Offline decisions by policy version", report.Offline.ByPolicyVersion);

        html.Append("<h3>Admissions over time</h3>");
        html.Append(SvgCharts.LineChart(
            report.Timeline.Select(p => (double)p.Second).ToArray(),
            [
                ("admitted", "#2a7", report.Timeline.Select(p => (double)p.Admitted).ToArray()),
                ("denied", "#c33", report.Timeline.Select(p => (double)p.Denied).ToArray()),
                ("offline", "#37c", report.Timeline.Select(p => (double)p.OfflineDecisions).ToArray()),
            ],
            OutageBands(report)));
    }

    private static void AppendLatency(StringBuilder html, EventReport report)
    {
        html.Append("<h2>Scan-to-gate latency</h2><table><tr><th>device class</th><th>decisions</th>")
            .Append("<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>max ms</th></tr>");
        foreach ((string deviceClass, LatencySummary latency) in report.Latency)
        {
            html.Append(Invariant($"<tr><td>{Encode(deviceClass)}</td><td>{latency.Count}</td>"))
                .Append(Invariant($"<td>{latency.P50Ms:F2}</td><td>{latency.P95Ms:F2}</td>"))
                .Append(Invariant($"<td>{latency.P99Ms:F2}</td><td>{latency.MaxMs:F2}</td></tr>"));
        }

        html.Append("</table>");
        html.Append(SvgCharts.PercentileBars(report.Latency));
    }

    private static void AppendReconciliation(StringBuilder html, EventReport report)
    {
        ReconciliationSummary reconciliation = report.Reconciliation;
        string lostClass = reconciliation.Lost == 0 && reconciliation.AppliedTwice == 0 ? "ok" : "fail";
        html.Append("<h2>Reconciliation</h2><table><tr><th>produced at the edge</th><th>in the ledger</th>")
            .Append("<th>lost</th><th>applied twice</th><th>redeliveries absorbed by the ledger</th></tr>")
            .Append(Invariant($"<tr class=\"{lostClass}\"><td>{reconciliation.ProducedAtEdge}</td>"))
            .Append(Invariant($"<td>{reconciliation.InLedger}</td><td>{reconciliation.Lost}</td>"))
            .Append(Invariant($"<td>{reconciliation.AppliedTwice}</td><td>{reconciliation.DuplicatesAbsorbed}</td></tr></table>"));
        AppendCounts(html, "Disputes by kind", report.Disputes.ByKind);
        html.Append(SvgCharts.CountBars(report.Disputes.ByKind));

        WalkInSummary walkIns = report.WalkIns;
        html.Append("<h3>Walk-ins and creators</h3><table><tr><th>verified walk-ins</th><th>walk-in purchases</th>")
            .Append("<th>walk-in sales (minor units)</th><th>assistant sales</th><th>assistant sales (minor units)</th>")
            .Append("<th>receipts printed</th></tr>")
            .Append(Invariant($"<tr><td>{walkIns.Verified}</td><td>{walkIns.Purchases}</td><td>{walkIns.SalesMinor}</td>"))
            .Append(Invariant($"<td>{walkIns.AssistantSales}</td><td>{walkIns.AssistantSalesMinor}</td>"))
            .Append(Invariant($"<td>{walkIns.ReceiptsPrinted}</td></tr></table>"));
    }

    private static void AppendQueues(StringBuilder html, EventReport report)
    {
        html.Append("<h2>Hub reconciliation queue</h2>");
        AppendCounts(html, "Peak unsent events per queue lane", report.Queues.PeakDepthByLane);
        html.Append(Invariant($"<p>Largest device outbox: {report.Queues.PeakDeviceOutbox} events.</p>"));
        double[] seconds = report.QueueSamples.Select(s => (double)s.Second).ToArray();
        html.Append(SvgCharts.LineChart(
            seconds,
            [
                ("payments", "#c80", report.QueueSamples.Select(s => (double)s.Payments).ToArray()),
                ("entitlements", "#86c", report.QueueSamples.Select(s => (double)s.Entitlements).ToArray()),
                ("check-ins", "#37c", report.QueueSamples.Select(s => (double)s.CheckIns).ToArray()),
                ("telemetry", "#999", report.QueueSamples.Select(s => (double)s.Telemetry).ToArray()),
            ],
            OutageBands(report)));

        html.Append("<h3>Device outboxes</h3>");
        string[] devices = [.. report.DeviceQueueSamples.SelectMany(s => s.OutboxByDevice.Keys).Distinct().Order(StringComparer.Ordinal)];
        string[] palette = ["#2a7", "#37c", "#c80", "#86c", "#c33", "#999", "#0aa", "#a50"];
        html.Append(SvgCharts.LineChart(
            report.DeviceQueueSamples.Select(s => (double)s.Second).ToArray(),
            devices.Select((device, i) => (
                device,
                palette[i % palette.Length],
                report.DeviceQueueSamples.Select(s => (double)s.OutboxByDevice.GetValueOrDefault(device)).ToArray())).ToArray(),
            OutageBands(report)));
    }

    private static void AppendGuestList(StringBuilder html, EventReport report)
    {
        GuestListSummary guests = report.GuestList;
        html.Append(Invariant($"<h2>Guest list</h2><p>{Encode(guests.File)}: {guests.Imported} imported, "))
            .Append(Invariant($"{guests.Rejected} rows rejected.</p>"));
        if (guests.RejectedRows.Count == 0)
        {
            return;
        }

        html.Append("<table><tr><th>row</th><th>column</th><th>value</th><th>problem</th></tr>");
        foreach (RejectedRow row in guests.RejectedRows)
        {
            html.Append(Invariant($"<tr><td>{row.Row}</td><td>{Encode(row.Column)}</td>"))
                .Append(Invariant($"<td>{Encode(row.Value)}</td><td>{Encode(row.Message)}</td></tr>"));
        }

        html.Append("</table>");
    }

    private static void AppendCounts<TValue>(StringBuilder html, string title, IReadOnlyDictionary<string, TValue> counts)
    {
        html.Append("<h3>").Append(Encode(title)).Append("</h3>");
        if (counts.Count == 0)
        {
            html.Append("<p>none</p>");
            return;
        }

        html.Append("<table>");
        foreach ((string key, TValue value) in counts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            html.Append(Invariant($"<tr><td>{Encode(key)}</td><td>{value}</td></tr>"));
        }

        html.Append("</table>");
    }

    private static (double Start, double End)[] OutageBands(EventReport report) =>
        report.Outages.Select(o => (o.StartSecond, o.EndSecond)).ToArray();

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
