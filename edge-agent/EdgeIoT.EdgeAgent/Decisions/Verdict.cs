using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.EdgeAgent.Decisions;

/// <summary>The outcome of the online check or the offline policy, before the gate and the outbox.</summary>
internal readonly record struct Verdict(
    bool Admitted, RejectReason Reason, string Mode, string? PolicyVersion, string? PolicyRule, string? PolicyInputs = null);
