using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Snapshot;
using EdgeIoT.Firmware.Tokens;
using EdgeIoT.Firmware.Verification;
using EdgeIoT.Protocol.Messaging;

namespace EdgeIoT.EdgeAgent.Decisions;

/// <summary>Everything a decision event records beyond the outbox's ids and time.</summary>
internal readonly record struct DecisionDetails(
    TokenClaims? Claims, EntitlementRecord? Record, string? Nonce, Verdict Verdict, TimeSpan Latency)
{
    public EdgeEvent Fill(EdgeEvent draft) => draft with
    {
        Outcome = Verdict.Admitted ? "admit" : "deny",
        Reason = RejectReasons.ToCode(Verdict.Reason),
        Mode = Verdict.Mode,
        PolicyVersion = Verdict.PolicyVersion,
        PolicyRule = Verdict.PolicyRule,
        PolicyInputs = Verdict.FormatPolicyInputs(),
        EntitlementId = Claims?.EntitlementId,
        TokenId = Claims is null ? null : DecisionPipeline.FormatTokenId(Claims.TokenId),
        Role = Claims is null ? null : PolicyCodes.RoleToCode(Claims.Role),
        DelegatorId = Claims is null || Claims.DelegatorId == 0 ? null : Claims.DelegatorId,
        OfferId = Claims is null || Claims.OfferId == 0 ? null : Claims.OfferId,
        SingleEntry = Record?.SingleEntry,
        LatencyMicros = (long)Latency.TotalMicroseconds,
        Nonce = Nonce,
    };
}
