using System.Globalization;
using System.Text;

namespace EdgeIoT.Hub.Reporting;

/// <summary>Writes the report's tables as RFC 4180 CSV files, one table per file, with a header row.</summary>
public static class ReportCsvWriter
{
    public static readonly IReadOnlyList<string> FileNames =
        ["totals.csv", "lanes.csv", "latency.csv", "disputes.csv", "payouts.csv"];

    public static void WriteAll(PostEventReport report, string directory)
    {
        ArgumentNullException.ThrowIfNull(report);

        ReportTotals totals = report.Totals;
        Write(directory, "totals.csv", ["metric", "value"],
        [
            ["decisions", Format(totals.Decisions)],
            ["admitted", Format(totals.Admitted)],
            ["denied", Format(totals.Denied)],
            ["offline_decisions", Format(totals.OfflineDecisions)],
            ["offline_share", Format(totals.OfflineShare)],
            ["guests_on_list", Format(totals.GuestsOnList)],
            ["guests_arrived", Format(totals.GuestsArrived)],
            ["events_stored", Format(totals.EventsStored)],
            ["events_unsent", Format(totals.EventsUnsent)],
            ["dead_letters", Format(totals.DeadLetters)],
            .. report.DeniedByReason.Select(reason => new[] { "denied_" + reason.Name, Format(reason.Count) }),
            .. report.SalesByCurrency.Select(sales => new[] { "sales_minor_" + sales.Name, Format(sales.Count) }),
        ]);
        Write(directory, "lanes.csv",
            ["device_id", "device_class", "decisions", "admitted", "denied", "offline", "offline_share",
             "decisions_per_minute", "peak_decisions_per_minute", "p50_ms", "p99_ms"],
            report.Lanes.Select(lane => new[]
            {
                lane.DeviceId, lane.DeviceClass, Format(lane.Decisions), Format(lane.Admitted), Format(lane.Denied),
                Format(lane.Offline), Format(lane.OfflineShare), Format(lane.DecisionsPerMinute),
                Format(lane.PeakDecisionsPerMinute), Format(lane.P50Ms), Format(lane.P99Ms),
            }));
        Write(directory, "latency.csv", ["device_class", "upper_bound_ms", "decisions"],
            report.Latency.SelectMany(latency => latency.Buckets.Select(bucket => new[]
            {
                latency.DeviceClass, bucket.UpperBoundMs is double bound ? Format(bound) : "+Inf", Format(bucket.Count),
            })));
        Write(directory, "disputes.csv", ["entitlement_id", "admits", "device_ids", "first_admit_ms"],
            report.Disputes.Items.Select(dispute => new[]
            {
                Format(dispute.EntitlementId), Format(dispute.Admits), string.Join(' ', dispute.DeviceIds), Format(dispute.FirstAdmitMs),
            }));
        Write(directory, "payouts.csv",
            ["creator_entitlement_id", "order_code", "name", "currency", "sales", "assistant_sales", "total_minor"],
            report.Payouts.Select(payout => new[]
            {
                Format(payout.CreatorEntitlementId), payout.OrderCode ?? "", payout.Name ?? "", payout.Currency,
                Format(payout.Sales), Format(payout.AssistantSales), Format(payout.TotalMinor),
            }));
    }

    /// <summary>Quotes a field when it contains a comma, a quote or a line break, doubling inner quotes (RFC 4180 section 2).</summary>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);

        return field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static void Write(string directory, string fileName, string[] header, IEnumerable<string[]> rows)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', header)).Append("\r\n");
        foreach (string[] row in rows)
        {
            csv.Append(string.Join(',', row.Select(Escape))).Append("\r\n");
        }

        File.WriteAllText(Path.Combine(directory, fileName), csv.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
