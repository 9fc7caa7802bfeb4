using EdgeIoT.Firmware.Policy;
using EdgeIoT.Firmware.Verification;

namespace EdgeIoT.EdgeAgent.Decisions;

/// <summary>
/// The outcome of the online check or the offline policy, before the gate and the outbox.
/// An online verdict carries the hub's case columns in <paramref name="PolicyInputs"/>. An
/// offline one carries the policy's input in <paramref name="LocalInputs"/>, formatted only
/// when the event is built, after the gate command.
/// </summary>
internal readonly record struct Verdict(
    bool Admitted,
    RejectReason Reason,
    string Mode,
    string? PolicyVersion,
    string? PolicyRule,
    string? PolicyInputs = null,
    PolicyInput? LocalInputs = null)
{
    /// <summary>Returns the policy's inputs as the event's case columns, or null when no policy decided.</summary>
    public string? FormatPolicyInputs() => PolicyInputs ?? LocalInputs?.ToCaseColumns();
}
