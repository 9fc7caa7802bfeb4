using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Ledger.Disputes;

namespace EdgeIoT.Simulator.Reporting;

/// <summary>
/// Names of the report values that expected outcomes compare. Fixed names map to one field;
/// a family such as "denied.&lt;reason&gt;" maps to one of its known keys in a dictionary and
/// is 0 when the run never produced that key.
/// </summary>
public static class ReportMetrics
{
    private static readonly Dictionary<string, Func<EventReport, double>> Fixed = new(StringComparer.Ordinal)
    {
        ["scans"] = r => r.Decisions.Scans,
        ["admitted"] = r => r.Decisions.Admitted,
        ["denied"] = r => r.Decisions.Denied,
        ["unreadable"] = r => r.Decisions.Unreadable,
        ["byNfcTag"] = r => r.Decisions.ByNfcTag,
        ["undecided"] = r => r.Decisions.Undecided,
        ["offlineDecisions"] = r => r.Offline.Decisions,
        ["lost"] = r => r.Reconciliation.Lost,
        ["appliedTwice"] = r => r.Reconciliation.AppliedTwice,
        ["producedAtEdge"] = r => r.Reconciliation.ProducedAtEdge,
        ["inLedger"] = r => r.Reconciliation.InLedger,
        ["duplicatesAbsorbed"] = r => r.Reconciliation.DuplicatesAbsorbed,
        ["disputes"] = r => r.Disputes.Count,
        ["p99ScanToGateMs"] = r => r.Latency.Values.Select(l => l.P99Ms).DefaultIfEmpty(0).Max(),
        ["annulled"] = r => r.Gates.Annulled,
        ["tailgates"] = r => r.Gates.Tailgates,
        ["forgeriesAdmitted"] = r =>
            Get(r.BadActors.Admitted, "forged") + Get(r.BadActors.Admitted, "garbage") + Get(r.BadActors.Admitted, "otherEvent"),
        ["walkIns.verified"] = r => r.WalkIns.Verified,
        ["walkIns.purchases"] = r => r.WalkIns.Purchases,
        ["walkIns.receiptsPrinted"] = r => r.WalkIns.ReceiptsPrinted,
        ["walkIns.assistantSales"] = r => r.WalkIns.AssistantSales,
        ["walkIns.salesMinor"] = r => r.WalkIns.SalesMinor,
        ["walkIns.assistantSalesMinor"] = r => r.WalkIns.AssistantSalesMinor,
        ["peakDeviceOutbox"] = r => r.Queues.PeakDeviceOutbox,
        ["guestList.imported"] = r => r.GuestList.Imported,
        ["guestList.rejected"] = r => r.GuestList.Rejected,
        ["offlinePeriods"] = r => r.OfflinePeriods.Count,
        ["faults"] = r => r.Faults.Count,
    };

    private static readonly Dictionary<string, Func<EventReport, string, double>> Families = new(StringComparer.Ordinal)
    {
        ["denied."] = (r, key) => Get(r.Decisions.DeniedByReason, key),
        ["admittedByRole."] = (r, key) => Get(r.Decisions.AdmittedByRole, key),
        ["disputes."] = (r, key) => Get(r.Disputes.ByKind, key),
        ["badActors.presented."] = (r, key) => Get(r.BadActors.Presented, key),
        ["badActors.admitted."] = (r, key) => Get(r.BadActors.Admitted, key),
        ["peakQueue."] = (r, key) => r.Queues.PeakDepthByLane.TryGetValue(key, out long peak) ? peak : 0,
        ["latency."] = LatencyValue,
    };

    private static readonly string[] LatencyFields = ["count", "p50Ms", "p95Ms", "p99Ms", "maxMs"];

    // The keys each family can have, so a misspelt one such as denied.bad_signatur fails the
    // scenario's check instead of reading 0 and passing every run.
    private static readonly Dictionary<string, string[]> FamilyKeys = new(StringComparer.Ordinal)
    {
        ["denied."] = [.. Enum.GetValues<RejectReason>().Where(r => r != RejectReason.None).Select(RejectReasons.ToCode)],
        ["admittedByRole."] = [.. Enum.GetValues<GuestRole>().Select(PolicyCodes.RoleToCode), "unknown"],
        ["disputes."] = [DisputeKinds.DoubleAdmit, DisputeKinds.AdmitAfterCancel, DisputeKinds.LostReply],
        ["badActors.presented."] = BadActorKinds,
        ["badActors.admitted."] = BadActorKinds,
        ["peakQueue."] = ["payments", "entitlements", "checkIns", "telemetry"],
    };

    private static string[] BadActorKinds => ["forged", "screenshotReplay", "expired", "otherEvent", "garbage"];

    public static bool IsKnown(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);

        if (Fixed.ContainsKey(metric))
        {
            return true;
        }

        if (metric.StartsWith("latency.", StringComparison.Ordinal))
        {
            string[] parts = metric.Split('.');
            return parts.Length == 3 && parts[1].Length > 0 && LatencyFields.Contains(parts[2]);
        }

        return FamilyKeys.Any(family => metric.StartsWith(family.Key, StringComparison.Ordinal)
            && family.Value.Contains(metric[family.Key.Length..], StringComparer.Ordinal));
    }

    /// <summary>Returns the keys a family such as "denied." can take, or null when <paramref name="metric"/> names no family.</summary>
    public static IReadOnlyList<string>? FamilyKeysOf(string metric)
    {
        ArgumentNullException.ThrowIfNull(metric);

        return FamilyKeys.FirstOrDefault(family => metric.StartsWith(family.Key, StringComparison.Ordinal)).Value;
    }

    /// <summary>Returns the metric's value in <paramref name="report"/>; an unknown name throws.</summary>
    public static double Value(EventReport report, string metric)
    {
        ArgumentNullException.ThrowIfNull(report);

        if (Fixed.TryGetValue(metric, out Func<EventReport, double>? read))
        {
            return read(report);
        }

        foreach ((string prefix, Func<EventReport, string, double> family) in Families)
        {
            if (metric.StartsWith(prefix, StringComparison.Ordinal) && metric.Length > prefix.Length)
            {
                return family(report, metric[prefix.Length..]);
            }
        }

        throw new ArgumentException($"Metric {metric} is unknown.", nameof(metric));
    }

    /// <summary>Lists the metric names for error messages and the docs.</summary>
    public static string Describe() =>
        string.Join(", ", Fixed.Keys) + ", " + string.Join(", ", Families.Keys.Select(prefix => prefix + "<key>"))
        .Replace("latency.<key>", "latency.<agent|firmware>.<count|p50Ms|p95Ms|p99Ms|maxMs>", StringComparison.Ordinal);

    private static double LatencyValue(EventReport report, string key)
    {
        string[] parts = key.Split('.');
        if (parts.Length != 2 || !report.Latency.TryGetValue(parts[0], out LatencySummary? latency))
        {
            return 0;
        }

        return parts[1] switch
        {
            "count" => latency.Count,
            "p50Ms" => latency.P50Ms,
            "p95Ms" => latency.P95Ms,
            "p99Ms" => latency.P99Ms,
            _ => latency.MaxMs,
        };
    }

    private static double Get<TValue>(IReadOnlyDictionary<string, TValue> counts, string key)
        where TValue : struct, IConvertible =>
        counts.TryGetValue(key, out TValue value) ? value.ToDouble(System.Globalization.CultureInfo.InvariantCulture) : 0;
}
