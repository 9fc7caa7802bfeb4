namespace EdgeIoT.Hub.Reporting;

/// <summary>
/// The numbers after an event, from the hub's database. Shares are 0 to 1, latencies in
/// milliseconds, amounts in minor units, times Unix milliseconds (device clocks).
/// </summary>
public sealed record PostEventReport(
    string Venue,
    uint EventId,
    long GeneratedAtMs,
    ReportTotals Totals,
    IReadOnlyList<NamedCount> DeniedByReason,
    IReadOnlyList<LaneThroughput> Lanes,
    IReadOnlyList<LatencyDistribution> Latency,
    IReadOnlyList<TimelineBin> Timeline,
    DisputeSummary Disputes,
    IReadOnlyList<CreatorPayout> Payouts,
    IReadOnlyList<NamedCount> SalesByCurrency);

/// <summary>Event-wide counts; <see cref="OfflineShare"/> is offline decisions over all decisions.</summary>
public sealed record ReportTotals(
    long Decisions,
    long Admitted,
    long Denied,
    long OfflineDecisions,
    double OfflineShare,
    long GuestsOnList,
    long GuestsArrived,
    long EventsStored,
    long EventsUnsent,
    long DeadLetters);

/// <summary>One lane's device: its decisions, how fast it admitted guests, and its latency.</summary>
public sealed record LaneThroughput(
    string DeviceId,
    string DeviceClass,
    long Decisions,
    long Admitted,
    long Denied,
    long Offline,
    double OfflineShare,
    double DecisionsPerMinute,
    long PeakDecisionsPerMinute,
    double P50Ms,
    double P99Ms);

/// <summary>
/// Latency of one device class (or "all"): percentiles and decisions per bucket. The last
/// bucket, whose bound is null, counts the decisions above the highest bound.
/// </summary>
public sealed record LatencyDistribution(
    string DeviceClass,
    long Count,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    IReadOnlyList<LatencyBucket> Buckets);

/// <summary>Decisions with a latency above the previous bound and at most <see cref="UpperBoundMs"/> (null: no bound).</summary>
public sealed record LatencyBucket(double? UpperBoundMs, long Count);

/// <summary>Decisions in one 5-minute bin starting at <see cref="StartMs"/>.</summary>
public sealed record TimelineBin(long StartMs, long Admitted, long Denied, long Offline);
