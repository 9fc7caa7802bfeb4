using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeIoT.Firmware.App;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.VirtualDevice;

/// <summary>
/// One JSON line the device writes back on a scanner connection, as a lane display would show
/// it: the gate's decision for a scan, a note that the scan was ignored, or the device's
/// status. Readers match on <see cref="Type"/> and ignore fields they do not know.
/// </summary>
public sealed record ScanFeedbackLine
{
    public const string DecisionType = "decision";
    public const string IgnoredType = "ignored";
    public const string StatusType = "status";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary><see cref="DecisionType"/>, <see cref="IgnoredType"/> or <see cref="StatusType"/>.</summary>
    public required string Type { get; init; }

    public bool? Admitted { get; init; }

    /// <summary>Reason code of the decision, as in the device's events ("ok", "expired", ...).</summary>
    public string? Reason { get; init; }

    public string? PolicyVersion { get; init; }

    /// <summary>Sequence number of the decision's stored event, or -1 when the queue refused it.</summary>
    public long? Seq { get; init; }

    /// <summary>Scan received to gate command, in microseconds.</summary>
    public long? LatencyMicros { get; init; }

    /// <summary>Sequence number of the newest event in flash, including earlier boots (status lines only).</summary>
    public long? LastSeq { get; init; }

    /// <summary>Events in flash not yet acknowledged by the hub (status lines only).</summary>
    public int? QueueDepth { get; init; }

    /// <summary>True while the device has an MQTT connection to the hub (status lines only).</summary>
    public bool? HubConnected { get; init; }

    /// <summary>True once the device has keys, snapshot, policy and a trusted time (status lines only).</summary>
    public bool? Ready { get; init; }

    /// <summary>Gate state name ("Idle", "Open", ...) (status lines only).</summary>
    public string? Gate { get; init; }

    /// <summary>Admits annulled since this boot (status lines only).</summary>
    public int? Annulled { get; init; }

    /// <summary>Passages with no admit pending since this boot (status lines only).</summary>
    public int? Tailgates { get; init; }

    /// <summary>Builds the line for a scan's outcome, where a null decision means the gate ignored the scan.</summary>
    public static ScanFeedbackLine ForDecision(FirmwareDecision? decision) => decision is null
        ? new ScanFeedbackLine { Type = IgnoredType }
        : new ScanFeedbackLine
        {
            Type = DecisionType,
            Admitted = decision.Admitted,
            Reason = RejectReasons.ToCode(decision.Reason),
            PolicyVersion = decision.PolicyVersion,
            Seq = decision.Seq,
            LatencyMicros = decision.LatencyMicros,
        };

    /// <summary>Builds a status line from the running firmware, or returns null while the device is powered off.</summary>
    public static ScanFeedbackLine? ForStatus(VirtualEsp32 device)
    {
        ArgumentNullException.ThrowIfNull(device);

        if (device.App is not { } app)
        {
            return null;
        }

        return new ScanFeedbackLine
        {
            Type = StatusType,
            LastSeq = app.LastSequence,
            QueueDepth = app.QueueDepth,
            HubConnected = device.IsConnected,
            Ready = app.KeyListVersion > 0 && app.SnapshotVersion > 0 && app.PolicyVersion != null && app.ClockSynchronized,
            Gate = app.GateState.ToString(),
            Annulled = app.AnnulledCount,
            Tailgates = app.TailgateCount,
        };
    }

    /// <summary>Parses one line, or returns null when it is not a feedback line.</summary>
    public static ScanFeedbackLine? TryParse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<ScanFeedbackLine>(line, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);
}
