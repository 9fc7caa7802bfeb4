using EdgeIoT.Firmware.Verification;
using EdgeIoT.Hardware;

namespace EdgeIoT.EdgeAgent.Decisions;

/// <summary>One admit or deny made by the agent, as observed by simulators and logs.</summary>
public sealed record AgentDecision
{
    public required bool Admitted { get; init; }

    /// <summary><see cref="RejectReason.None"/> for an admit.</summary>
    public required RejectReason Reason { get; init; }

    /// <summary>One of <see cref="DecisionModes"/>.</summary>
    public required string Mode { get; init; }

    /// <summary>Scan bytes in to gate command out (to the decision for a deny).</summary>
    public required TimeSpan Latency { get; init; }

    public required ScanSource Source { get; init; }

    /// <summary>Entitlement of the token; null when the scan did not decode.</summary>
    public uint? EntitlementId { get; init; }

    public ulong? TokenId { get; init; }

    /// <summary>Nonce of the online check; offline fallbacks carry the same nonce.</summary>
    public string? Nonce { get; init; }

    public string? PolicyVersion { get; init; }

    public string? PolicyRule { get; init; }

    /// <summary>Outbox event id; null when the outbox rejected the event.</summary>
    public string? EventId { get; init; }
}
