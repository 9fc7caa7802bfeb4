using System.Text.Json.Serialization;

namespace EdgeIoT.Simulator.Reporting;

/// <summary>
/// Result of one simulated event, written as report.json and report.html. docs/report.md
/// describes every field; <see cref="Passed"/> is false when anything was lost.
/// </summary>
public sealed record EventReport
{
    public int Schema { get; init; } = 2;

    public required string Scenario { get; init; }

    public int Seed { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public double DurationSeconds { get; init; }

    public required GuestListSummary GuestList { get; init; }

    public required DecisionSummary Decisions { get; init; }

    public required OfflineSummary Offline { get; init; }

    /// <summary>Scan-to-gate latency per device class ("agent", "firmware").</summary>
    public required IReadOnlyDictionary<string, LatencySummary> Latency { get; init; }

    public required QueueSummary Queues { get; init; }

    public required ReconciliationSummary Reconciliation { get; init; }

    public required DisputeSummary Disputes { get; init; }

    public required WalkInSummary WalkIns { get; init; }

    public required IReadOnlyList<OutageRecord> Outages { get; init; }

    /// <summary>Every fault the schedule injected, with when it started and ended.</summary>
    public required IReadOnlyList<FaultRecord> Faults { get; init; }

    /// <summary>Periods in which a lane had no connection to the hub's broker.</summary>
    public required IReadOnlyList<OfflinePeriod> OfflinePeriods { get; init; }

    /// <summary>Passages at the gates: admits annulled because nobody walked through, and tailgates.</summary>
    public required GateSummary Gates { get; init; }

    /// <summary>Bad actors presented and admitted, per kind.</summary>
    public required BadActorSummary BadActors { get; init; }

    /// <summary>SHA-256 over every visit's decision in visit order; equal digests mean equal decisions.</summary>
    public required string DecisionDigest { get; init; }

    /// <summary>Admits and denies per second of the run, for the admissions chart.</summary>
    public required IReadOnlyList<TimelinePoint> Timeline { get; init; }

    /// <summary>Hub reconciliation queue depth per lane, sampled every second.</summary>
    public required IReadOnlyList<QueueSample> QueueSamples { get; init; }

    /// <summary>Outbox depth of every lane's device, sampled every second.</summary>
    public required IReadOnlyList<DeviceQueueSample> DeviceQueueSamples { get; init; }

    /// <summary>Each expected outcome of the scenario with its measured value.</summary>
    public required IReadOnlyList<ExpectationResult> Expectations { get; init; }

    /// <summary>
    /// Set when the run stopped early (Ctrl-C or an error). The report then covers what was
    /// collected so far, and <see cref="Expectations"/> is empty because nothing was judged.
    /// </summary>
    public RunInterruption? Interruption { get; init; }

    /// <summary>True when every edge event reached the ledger exactly once and all checks held.</summary>
    public bool Passed { get; init; }

    public required IReadOnlyList<string> Failures { get; init; }
}

public sealed record GuestListSummary(
    string File, int Imported, int Rejected, IReadOnlyList<RejectedRow> RejectedRows);

public sealed record RejectedRow(int Row, string Column, string Value, string Message);

public sealed record DecisionSummary(
    int Scans,
    int Admitted,
    int Denied,
    IReadOnlyDictionary<string, int> DeniedByReason,
    IReadOnlyDictionary<string, int> AdmittedByRole,
    int Unreadable,
    int Undecided)
{
    /// <summary>Decisions on tokens that guests held on an NFC tag instead of showing a QR code.</summary>
    public int ByNfcTag { get; init; }
}

public sealed record OfflineSummary(int Decisions, IReadOnlyDictionary<string, int> ByPolicyVersion);

public sealed record LatencySummary(int Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs);

/// <summary>Peak unsent events per hub reconciliation lane, and the largest device outbox seen.</summary>
public sealed record QueueSummary(IReadOnlyDictionary<string, long> PeakDepthByLane, long PeakDeviceOutbox);

public sealed record ReconciliationSummary(
    long ProducedAtEdge,
    long InLedger,
    long Lost,
    long AppliedTwice,
    long DuplicatesAbsorbed,
    IReadOnlyList<string> LostEventIds);

public sealed record DisputeSummary(int Count, IReadOnlyDictionary<string, int> ByKind);

/// <summary>
/// Sales at agent lanes. <c>Purchases</c> and <c>SalesMinor</c> count walk-ins buying with their
/// own spend-limited token. <c>AssistantSales</c> and <c>AssistantSalesMinor</c> count sales by
/// creator assistants, attributed to their creator. <c>ReceiptsPrinted</c> covers both.
/// </summary>
public sealed record WalkInSummary(
    int Verified, int Purchases, long SalesMinor, int ReceiptsPrinted, int AssistantSales, long AssistantSalesMinor);

public sealed record OutageRecord(string Link, double StartSecond, double EndSecond);

/// <summary>
/// One injected fault; <c>EndSecond</c> equals <c>StartSecond</c> for one-off faults. A null
/// <c>Target</c> (the hub) is written as null rather than left out, as docs/report.md says.
/// </summary>
public sealed record FaultRecord(
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Target,
    double StartSecond,
    double EndSecond,
    string? Detail);

public sealed record OfflinePeriod(string DeviceId, double StartSecond, double EndSecond);

/// <summary>
/// Admits annulled because nobody passed (agent lanes report them, and ESP32 lanes through their
/// firmware), passages with no admit pending (tailgates), and how many of each the crowd acted out.
/// </summary>
public sealed record GateSummary(int Annulled, int Tailgates, int TurnBacksActed, int TailgatesActed);

public sealed record BadActorSummary(
    IReadOnlyDictionary<string, int> Presented, IReadOnlyDictionary<string, int> Admitted);

public sealed record DeviceQueueSample(int Second, IReadOnlyDictionary<string, int> OutboxByDevice);

public sealed record QueueSample(int Second, long Payments, long Entitlements, long CheckIns, long Telemetry);

public sealed record TimelinePoint(int Second, int Admitted, int Denied, int OfflineDecisions);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EventReport))]
public sealed partial class ReportJson : JsonSerializerContext;
